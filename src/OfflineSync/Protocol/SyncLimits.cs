using System.Globalization;

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

    /// <summary>
    /// The largest row a server may store, in bytes of its JSON as the server serializes it (escapes included): 16 MiB.
    /// A row travels whole in every feed event about it, so a server that stored a larger one could not deliver it
    /// to any client: a server refuses such a write (413) before anything is stored.
    /// </summary>
    public const int MaxRowBytes = 16 * 1024 * 1024;

    /// <summary>
    /// What one feed event may add around its row, in bytes: the <c>id</c>, <c>event</c> and <c>data:</c> lines and
    /// the JSON envelope with the key, the origin, the origin's client id and the version, each escaped at worst: 16 KiB.
    /// </summary>
    public const int MaxEventEnvelopeBytes = 16 * 1024;

    /// <summary>
    /// The largest change-feed event a client reads, in bytes between two event boundaries: <see cref="MaxRowBytes"/>
    /// plus <see cref="MaxEventEnvelopeBytes"/>, so every row a server accepts reaches every client. A longer event ends
    /// the feed with an error before it is buffered whole.
    /// </summary>
    public const int MaxEventBytes = MaxRowBytes + MaxEventEnvelopeBytes;

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

    /// <summary>Returns whether <paramref name="clientId"/> may be sent as <c>X-Client-Id</c>: see <see cref="MaxClientIdLength"/>.</summary>
    /// <param name="clientId">The client id.</param>
    /// <returns><see langword="true"/> when the client id is valid on the wire.</returns>
    public static bool IsValidClientId(ReadOnlySpan<char> clientId) => IsValidToken(clientId, MaxClientIdLength);

    /// <summary>Returns whether <paramref name="idempotencyKey"/> may be sent as <c>Idempotency-Key</c>: see <see cref="MaxIdempotencyKeyLength"/>.</summary>
    /// <param name="idempotencyKey">The idempotency key.</param>
    /// <returns><see langword="true"/> when the idempotency key is valid on the wire.</returns>
    public static bool IsValidIdempotencyKey(ReadOnlySpan<char> idempotencyKey) => IsValidToken(idempotencyKey, MaxIdempotencyKeyLength);

    /// <summary>
    /// Returns whether <paramref name="key"/> has the exact shape of a key the client library makes for an
    /// optimistic item — the only keys a server stores as a row's origin: for <see cref="SyncKeyKind.String"/>,
    /// <c>optimistic_</c> followed by a ULID (26 characters of Crockford base 32, the first at most <c>7</c>); for
    /// <see cref="SyncKeyKind.Int64"/> and <see cref="SyncKeyKind.Int32"/>, a negative number of the type's range
    /// in canonical form (<c>-1</c>, not <c>-01</c>); never for <see cref="SyncKeyKind.Guid"/>, whose client keys
    /// are proposals.
    /// </summary>
    /// <param name="kind">The key type of the resource.</param>
    /// <param name="key">The key in canonical text form.</param>
    /// <returns><see langword="true"/> when the key may be a row's origin optimistic key.</returns>
    public static bool IsOriginKey(SyncKeyKind kind, ReadOnlySpan<char> key) => kind switch
    {
        SyncKeyKind.String => IsOptimisticUlid(key),
        SyncKeyKind.Int64 => IsNegativeCanonical(key, long.MinValue),
        SyncKeyKind.Int32 => IsNegativeCanonical(key, int.MinValue),
        _ => false,
    };

    private static bool IsOptimisticUlid(ReadOnlySpan<char> key)
    {
        const int UlidLength = 26;
        if (key.Length != OptimisticKeys.StringPrefix.Length + UlidLength || !key.StartsWith(OptimisticKeys.StringPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> ulid = key[OptimisticKeys.StringPrefix.Length..];
        if (ulid[0] > '7')
        {
            return false; // the 48-bit time part leaves the first of its ten characters three bits
        }

        foreach (char c in ulid)
        {
            if (!"0123456789ABCDEFGHJKMNPQRSTVWXYZ".Contains(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNegativeCanonical(ReadOnlySpan<char> key, long min)
    {
        if (!long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value >= 0 || value < min)
        {
            return false;
        }

        Span<char> canonical = stackalloc char[20];
        return value.TryFormat(canonical, out int written, default, CultureInfo.InvariantCulture) && key.SequenceEqual(canonical[..written]);
    }
}
