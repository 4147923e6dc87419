using OfflineSync.Server.Access;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Storage;

/// <summary>
/// What one request reads, and for whom: every store read is made for one resource on behalf of one
/// requesting client, and goes through here. A row's origin reaches only the client that created it
/// (<see cref="Origins"/>); with a row policy, only the rows readable under the caller's access keys
/// (<see cref="ReadKeys"/>) are read at all — filtered in the store's queries for lists, reads of one row and
/// snapshots, and here (<see cref="EventOf"/>) for the change-log pages all feeds of a resource share.
/// </summary>
/// <param name="Resource">The resource read.</param>
/// <param name="ClientId">The requesting client (<see cref="Endpoints.RequestIdentity"/>); <see langword="null"/> when unknown.</param>
/// <param name="ReadKeys">The caller's access keys (<see cref="SyncRowPolicy{T}.GetReadKeys"/>); <see langword="null"/> when the resource has no row policy, or the policy lets the caller read every row.</param>
internal readonly record struct ReadScope(string Resource, string? ClientId, IReadOnlyCollection<string>? ReadKeys = null)
{
    /// <summary>Returns a row's origin if this scope's client created the row, otherwise <see langword="null"/>.</summary>
    public string? OriginOf(string? creator, string? origin) => Origins.VisibleTo(ClientId, creator, origin);

    /// <summary>Gets whether reads are filtered by access keys.</summary>
    public bool IsFiltered => ReadKeys is not null;

    /// <summary>
    /// Says what this reader's feed makes of a change of a row whose access is now <paramref name="access"/>: the
    /// change as stored while the row stays readable; <c>added</c> when it became readable with the change;
    /// <c>removed</c> when the reader may hold it and it is no longer readable (deleted, or out of the reader's
    /// scope); nothing (<see langword="null"/>) when the reader never could read it.
    /// </summary>
    public StoredChangeKind? EventOf(StoredChangeKind stored, RowAccess? access)
    {
        if (ReadKeys is not { } keys)
        {
            return stored;
        }

        if (access is null)
        {
            return null; // written before the resource had a policy: readable by no one under it, as in the store's queries
        }

        if (stored != StoredChangeKind.Removed && access.ReadableBy(keys))
        {
            return stored == StoredChangeKind.Changed && !access.WasReadableBy(keys) ? StoredChangeKind.Added : stored;
        }

        return access.EverReadableBy(keys) ? StoredChangeKind.Removed : null;
    }
}
