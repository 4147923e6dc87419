using OfflineSync.Server.Access;

namespace OfflineSync.Server.Storage;

/// <summary>
/// One row of a resource as a write transaction sees it, tombstones included: <c>ClientId</c> is the client
/// that created it, <c>OriginOptimisticKey</c> the optimistic key it was created from (shown to that client only),
/// <c>Access</c> who may read it under the resource's row policy (<see langword="null"/> without one).
/// </summary>
internal sealed record StoredRow(byte[]? Json, long Version, long Sequence, string? ClientId, string? OriginOptimisticKey, bool Deleted, RowAccess? Access = null);

/// <summary>A stored successful answer to an idempotent write.</summary>
internal sealed record IdempotencyRecord(byte[] RequestHash, int Status, string? EntityKey, string? OptimisticKey, long? Version, byte[]? Body, long ExpiresAt)
{
    /// <summary>The client id under which the records of requests without <c>X-Client-Id</c> are kept (valid client ids are never empty).</summary>
    public const string AnonymousClient = "";
}

/// <summary>One live row as a reader sees it: <see cref="Origin"/> is set only when the reader created the row (<see cref="ReadScope"/>).</summary>
internal readonly record struct RowItem(string Key, string? Origin, long Version, long Sequence, byte[] Json);

/// <summary>
/// One change-log entry with its row as the row is now, and the row's creating client and origin. The log keeps one
/// entry per row, its last change (<see cref="ChangeLog"/>), so the row as it is now is the row as that change left
/// it. A page of the log is shared by every feed of the resource (<see cref="Feed.ChangeReads"/>), and each feed shows
/// the origin to its own client only (<see cref="ReadScope.OriginOf"/>), and the change only to readers the row's access
/// lets see it (<see cref="ReadScope.EventOf"/>).
/// </summary>
internal sealed record StoredChange(long Sequence, string Key, StoredChangeKind Kind, long Version, string? ClientId, string? OriginOptimisticKey, byte[]? Json, RowAccess? Access = null);

/// <summary>
/// How much one read may bring into memory: at most <see cref="MaxRows"/> rows, and rows only while the ones before
/// them (JSON and key) are under <see cref="MaxBytes"/> — so at least one row, and at most <see cref="MaxBytes"/> plus
/// one row.
/// </summary>
internal readonly record struct PageBudget(int MaxRows, int MaxBytes);

/// <summary>
/// A page of rows and the change-log sequence it goes with: for a list, ordered by key, the head of its snapshot; for a
/// snapshot, ordered by sequence, the snapshot's bound. <see cref="HasMore"/> says that rows follow the page, whether it
/// ended at its row count or at its byte budget.
/// </summary>
internal sealed record RowPage(List<RowItem> Items, long Sequence, bool HasMore);

/// <summary>
/// A page of the change log after a position, read in one database snapshot with the log's bounds: a
/// position below <see cref="PrunedThrough"/> or above <see cref="Head"/> cannot be caught up from
/// <see cref="Changes"/> (retention removed what follows it, or it belongs to another database).
/// </summary>
/// <param name="Changes">The changes after the position, in sequence order.</param>
/// <param name="Head">The sequence of the last committed change.</param>
/// <param name="PrunedThrough">The highest sequence of the resource that retention removed.</param>
/// <param name="HasMore">Whether more changes of the resource follow the page (it ended at its row count or byte budget).</param>
internal sealed record ChangePage(List<StoredChange> Changes, long Head, long PrunedThrough, bool HasMore)
{
    /// <summary>Whether a reader at <paramref name="position"/> would miss changes by reading on from it.</summary>
    public bool Covers(long position) => position >= PrunedThrough && position <= Head;
}

/// <summary>
/// The change log's rules, the same in every store. The log keeps one entry per row, its last change: an update or
/// delete replaces the row's entry by a new one at the next sequence (the superseded entry is removed in the same
/// transaction), and the row's data lives once, in <c>rows</c>. So one write adds one small entry, however large the
/// row, and a reader at any position still reads every row changed after it, as it is now — in the order of their last
/// changes, which is what a client applies. Retention alone removes entries a reader may not have read (and raises the
/// resource's prune point).
/// </summary>
internal static class ChangeLog
{
    /// <summary>
    /// Returns the weight of an entry in <c>changes.bytes</c>: its row's JSON (none for a removal) and key, the bulk of
    /// the feed event it becomes. A row cannot change without a new entry, so the weight stays true while the entry lives.
    /// </summary>
    public static long Weight(string key, byte[]? json) => key.Length + (json?.Length ?? 0);
}

/// <summary>The kinds of change-log entries, as both stores keep them in <c>changes.kind</c>.</summary>
internal enum StoredChangeKind
{
    Added = 1,
    Changed = 2,
    Removed = 3,
}
