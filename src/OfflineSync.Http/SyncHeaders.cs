namespace OfflineSync.Http;

/// <summary>The protocol's header names (docs/protocol.md).</summary>
internal static class SyncHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";
    public const string OptimisticId = "X-Optimistic-Id";
    public const string ClientId = "X-Client-Id";
    public const string SyncKey = "X-Sync-Key";
    public const string Replayed = "Idempotent-Replayed";
    public const string LastEventId = "Last-Event-ID";
}
