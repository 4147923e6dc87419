namespace OfflineSync;

/// <summary>A queued mutation as it is sent to the server.</summary>
/// <param name="Resource">The resource name.</param>
/// <param name="Kind">The kind of mutation.</param>
/// <param name="Key">The key of the entity (for a create, the optimistic or proposed key), references already remapped.</param>
/// <param name="OptimisticKey">For a create, the key the client gave the item; the server keeps it as the row's origin.</param>
/// <param name="Payload">UTF-8 JSON: the entity (create), the patch (update) or empty (delete), references already remapped.</param>
/// <param name="IdempotencyKey">The idempotency key, identical on every retry.</param>
/// <param name="BaseVersion">For updates and deletes, the server version the local edit was made on (<c>If-Match</c>).</param>
/// <param name="ClientId">The id of the sending client; the server resolves optimistic keys of the same client within a batch.</param>
public sealed record OutgoingMutation(
    string Resource,
    MutationKind Kind,
    string Key,
    string? OptimisticKey,
    ReadOnlyMemory<byte> Payload,
    string IdempotencyKey,
    string? BaseVersion,
    string ClientId);
