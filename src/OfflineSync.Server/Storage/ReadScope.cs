using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Storage;

/// <summary>
/// What one request reads, and for whom: every store read is made for one resource on behalf of one
/// requesting client, and goes through here. A row's origin reaches only the client that created it
/// (<see cref="Origins"/>).
/// </summary>
/// <remarks>
/// This is the seam for per-request row policies: a filter of the rows a principal may read belongs on this
/// scope, for each store to apply in its queries (list, read one, snapshot), and for each feed to apply to the
/// change-log pages it shares with the other feeds of its resource.
/// </remarks>
/// <param name="Resource">The resource read.</param>
/// <param name="ClientId">The requesting client (<see cref="Endpoints.RequestIdentity"/>); <see langword="null"/> when unknown.</param>
internal readonly record struct ReadScope(string Resource, string? ClientId)
{
    /// <summary>Returns a row's origin if this scope's client created the row, otherwise <see langword="null"/>.</summary>
    public string? OriginOf(string? creator, string? origin) => Origins.VisibleTo(ClientId, creator, origin);
}
