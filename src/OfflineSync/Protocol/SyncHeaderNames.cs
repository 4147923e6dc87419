namespace OfflineSync.Protocol;

/// <summary>
/// The header names of the OfflineSync wire protocol (docs/protocol.md), shared by <c>HttpSyncTransport</c>
/// and the reference server so the two cannot drift apart.
/// </summary>
public static class SyncHeaderNames
{
    /// <summary>The idempotency key of a write: <c>Idempotency-Key</c>.</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>The key the client gave a created item: <c>X-Optimistic-Id</c>.</summary>
    public const string OptimisticId = "X-Optimistic-Id";

    /// <summary>The sending client's id: <c>X-Client-Id</c>.</summary>
    public const string ClientId = "X-Client-Id";

    /// <summary>The row's key as the server stores it: <c>X-Sync-Key</c>.</summary>
    public const string SyncKey = "X-Sync-Key";

    /// <summary>Marks an answer replayed for a repeated idempotency key: <c>Idempotent-Replayed</c>.</summary>
    public const string Replayed = "Idempotent-Replayed";

    /// <summary>The sequence a change feed resumes after: <c>Last-Event-ID</c>.</summary>
    public const string LastEventId = "Last-Event-ID";
}
