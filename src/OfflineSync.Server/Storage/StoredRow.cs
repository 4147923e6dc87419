namespace OfflineSync.Server.Storage;

/// <summary>One row of a resource as stored, tombstones included.</summary>
internal sealed record StoredRow(byte[]? Json, long Version, long Sequence, string? ClientId, string? OriginOptimisticKey, bool Deleted);

/// <summary>A stored successful answer to an idempotent write.</summary>
internal sealed record IdempotencyRecord(byte[] RequestHash, int Status, string? EntityKey, string? OptimisticKey, long? Version, byte[]? Body, long ExpiresAt);

/// <summary>One change-log entry, with the client that created its row.</summary>
internal sealed record StoredChange(long Sequence, string Key, StoredChangeKind Kind, long Version, string? OriginOptimisticKey, string? ClientId, byte[]? Json);
