namespace OfflineSync.Protocol;

/// <summary>
/// The limits of the OfflineSync wire protocol that the client and the server both enforce
/// (docs/protocol.md, "Limits"): the client refuses to queue what the server would refuse, and the
/// server refuses it before anything is stored.
/// </summary>
/// <remarks>
/// Keys, client ids and idempotency keys travel in headers and URL paths, so they are limited to
/// printable ASCII without spaces (<c>!</c> to <c>~</c>) and to a documented length.
/// </remarks>
public static class SyncLimits
{
    /// <summary>The longest key (a row key, an optimistic key, a proposed key), in characters: 256.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>The longest client id, in characters: 128.</summary>
    public const int MaxClientIdLength = 128;

    /// <summary>The longest idempotency key, in characters: 1,024 (resource, kind, key, client id, sequence and a re-send suffix fit).</summary>
    public const int MaxIdempotencyKeyLength = 1024;

    /// <summary>Returns whether <paramref name="value"/> is 1 to <paramref name="maxLength"/> printable ASCII characters without spaces.</summary>
    /// <param name="value">The text to check.</param>
    /// <param name="maxLength">The longest allowed value.</param>
    /// <returns><see langword="true"/> when the value may be sent as a key, client id or idempotency key.</returns>
    public static bool IsValidToken(ReadOnlySpan<char> value, int maxLength)
    {
        if (value.IsEmpty || value.Length > maxLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether <paramref name="key"/> may be sent as a key: see <see cref="MaxKeyLength"/>.</summary>
    /// <param name="key">The key in canonical text form.</param>
    /// <returns><see langword="true"/> when the key is valid on the wire.</returns>
    public static bool IsValidKey(ReadOnlySpan<char> key) => IsValidToken(key, MaxKeyLength);
}
