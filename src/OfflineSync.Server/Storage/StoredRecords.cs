namespace OfflineSync.Server.Storage;

/// <summary>
/// One row of a resource as a write transaction sees it, tombstones included: <c>ClientId</c> is the client
/// that created it, <c>OriginOptimisticKey</c> the optimistic key it was created from (shown to that client only).
/// </summary>
internal sealed record StoredRow(byte[]? Json, long Version, long Sequence, string? ClientId, string? OriginOptimisticKey, bool Deleted);

/// <summary>A stored successful answer to an idempotent write.</summary>
internal sealed record IdempotencyRecord(byte[] RequestHash, int Status, string? EntityKey, string? OptimisticKey, long? Version, byte[]? Body, long ExpiresAt)
{
    /// <summary>The client id under which the records of requests without <c>X-Client-Id</c> are kept (valid client ids are never empty).</summary>
    public const string AnonymousClient = "";
}

/// <summary>One live row as a reader sees it: <see cref="Origin"/> is set only when the reader created the row (<see cref="ReadScope"/>).</summary>
internal readonly record struct RowItem(string Key, string? Origin, long Version, long Sequence, byte[] Json);

/// <summary>
/// One change-log entry with its row's creating client and origin, as stored: a page of the log is shared by every
/// feed of the resource (<see cref="Feed.ChangeReads"/>), and each feed shows the origin to its own client only
/// (<see cref="ReadScope.OriginOf"/>).
/// </summary>
internal sealed record StoredChange(long Sequence, string Key, StoredChangeKind Kind, long Version, string? ClientId, string? OriginOptimisticKey, byte[]? Json);

/// <summary>A page of a list, ordered by key, and the change-log head it is consistent with.</summary>
internal sealed record RowPage(List<RowItem> Items, long Sequence, bool HasMore);

/// <summary>
/// A page of the change log after a position, read in one database snapshot with the log's bounds: a
/// position below <see cref="PrunedThrough"/> or above <see cref="Head"/> cannot be caught up from
/// <see cref="Changes"/> (retention removed what follows it, or it belongs to another database).
/// </summary>
/// <param name="Changes">The changes after the position, in sequence order.</param>
/// <param name="Head">The sequence of the last committed change.</param>
/// <param name="PrunedThrough">The highest sequence retention removed.</param>
internal sealed record ChangePage(List<StoredChange> Changes, long Head, long PrunedThrough)
{
    /// <summary>Whether a reader at <paramref name="position"/> would miss changes by reading on from it.</summary>
    public bool Covers(long position) => position >= PrunedThrough && position <= Head;
}

/// <summary>The kinds of change-log entries, as both stores keep them in <c>changes.kind</c>.</summary>
internal enum StoredChangeKind
{
    Added = 1,
    Changed = 2,
    Removed = 3,
}
