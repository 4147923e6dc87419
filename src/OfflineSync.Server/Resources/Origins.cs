using OfflineSync.Protocol;

namespace OfflineSync.Server.Resources;

/// <summary>
/// The rules for a row's origin — the optimistic key its creating client gave it (S3, S15): which key is
/// stored, and who is told. Numeric optimistic keys of two clients are equal (every client counts -1, -2, …)
/// and any client can send any key, so an origin means something only to the client that created the row:
/// the server stores it with that client's id and shows it to that client alone.
/// </summary>
internal static class Origins
{
    /// <summary>
    /// Returns the origin to store for a row created from <paramref name="sentKey"/>: the key when it has the
    /// exact shape of a client-made optimistic key (<see cref="SyncLimits.IsOriginKey"/>) and the request names
    /// its client; otherwise none — a proposed key, a Guid or a key of a request that names no client is never an origin.
    /// </summary>
    public static string? ToStore(SyncKeyKind kind, string? clientId, string? sentKey) =>
        Endpoints.RequestIdentity.OnWire(clientId) is not null && sentKey is not null && SyncLimits.IsOriginKey(kind, sentKey) ? sentKey : null;

    /// <summary>Returns the row's origin if <paramref name="requester"/> created the row, otherwise <see langword="null"/>.</summary>
    /// <param name="requester">The requesting client (<see cref="Endpoints.RequestIdentity"/>), <see langword="null"/> when unknown.</param>
    /// <param name="creator">The client that created the row.</param>
    /// <param name="origin">The row's stored origin.</param>
    public static string? VisibleTo(string? requester, string? creator, string? origin) =>
        origin is not null && requester is not null && string.Equals(requester, creator, StringComparison.Ordinal) ? origin : null;
}
