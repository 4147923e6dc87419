namespace OfflineSync.Protocol;

/// <summary>
/// JSON field names of list items and change-feed events (docs/protocol.md, "List" and "Feed") that the
/// transport reads and the reference server writes.
/// </summary>
public static class SyncFieldNames
{
    /// <summary>
    /// The optimistic key the row was created from: <c>originOptimisticKey</c>. Present only when the
    /// requesting client created the row.
    /// </summary>
    public const string OriginOptimisticKey = "originOptimisticKey";

    /// <summary>
    /// The client that created the row: <c>originClientId</c>, beside <see cref="OriginOptimisticKey"/> and
    /// only with it, always equal to the requesting client's <c>X-Client-Id</c>.
    /// </summary>
    public const string OriginClientId = "originClientId";
}
