using System.Text;
using OfflineSync.Protocol;

namespace OfflineSync;

/// <summary>
/// The client's side of <see cref="SyncLimits"/>: what the app hands the client is checked before anything
/// is queued, so the server never receives what it would refuse (docs/protocol.md, "Limits").
/// </summary>
internal static class ProtocolChecks
{
    private const int QuotedLength = 40;

    /// <summary>Checks a client id: it travels in the <c>X-Client-Id</c> header and inside idempotency keys.</summary>
    /// <exception cref="ArgumentException">The id is empty, longer than <see cref="SyncLimits.MaxClientIdLength"/>, or holds a space, <c>:</c> or a character outside printable ASCII.</exception>
    public static void ClientId(string clientId, string source)
    {
        if (!SyncLimits.IsValidToken(clientId, SyncLimits.MaxClientIdLength) || clientId.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{source} must be 1 to {SyncLimits.MaxClientIdLength} (SyncLimits.MaxClientIdLength) printable ASCII characters without spaces or ':' (it travels in the X-Client-Id header and is part of idempotency keys); {Quote(clientId)} is not.",
                "options");
        }
    }

    /// <summary>Checks a key the app set on a new item (S2): it travels in headers and URL paths.</summary>
    /// <exception cref="ArgumentException">The key is longer than <see cref="SyncLimits.MaxKeyLength"/> or holds a space or a character outside printable ASCII.</exception>
    public static void ProposedKey(string resource, string key)
    {
        if (!SyncLimits.IsValidKey(key))
        {
            throw new ArgumentException(
                $"The key of a new {resource} item must be 1 to {SyncLimits.MaxKeyLength} (SyncLimits.MaxKeyLength) printable ASCII characters without spaces; {Quote(key)} is not. Leave the key unset to get an optimistic key.",
                "item");
        }
    }

    /// <summary>
    /// Returns whether <paramref name="key"/> is a key of kind <paramref name="kind"/> that the protocol can carry. A key
    /// from the server that is not never reaches the ID map or a view: it could not be parsed back into the entity.
    /// </summary>
    public static bool IsValidKey(SyncKeyKind kind, string? key) => SyncKeys.IsValid(kind, key) && SyncLimits.IsValidKey(key);

    /// <summary>Quotes the start of a refused value with control and non-ASCII characters escaped, so a message stays one readable line.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var text = new StringBuilder(QuotedLength + 32).Append('\'');
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, QuotedLength)))
        {
            if (c is < ' ' or > '~')
            {
                text.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append(value.Length > QuotedLength ? "…'" : "'");
        return text.Append(" (").Append(value.Length).Append(" characters)").ToString();
    }
}
