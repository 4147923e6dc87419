namespace OfflineSync;

/// <summary>A mutation as the queue persists it.</summary>
/// <remarks>
/// <see cref="Payload"/> holds the references as they were when the mutation was queued; they are
/// remapped through the generated visitors when the mutation is sent, never by editing the JSON text.
/// </remarks>
public sealed record StoredMutation
{
    /// <summary>Gets the client sequence number: the mutation's position in the queue, never reused.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the resource name.</summary>
    public required string Resource { get; init; }

    /// <summary>Gets the kind of mutation.</summary>
    public required MutationKind Kind { get; init; }

    /// <summary>Gets the entity key in canonical string form (optimistic until the create is confirmed).</summary>
    public required string Key { get; init; }

    /// <summary>Gets the UTF-8 JSON payload: the entity for a create, the patch for an update, empty for a delete.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Gets the idempotency key sent with every attempt.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the application's own idempotency key (a double-clicked button), if it gave one.</summary>
    public string? AppIdempotencyKey { get; init; }

    /// <summary>Gets the server version the edit was made on, sent as <c>If-Match</c>.</summary>
    public string? BaseVersion { get; init; }

    /// <summary>Gets the status.</summary>
    public MutationStatus Status { get; init; }

    /// <summary>Gets the number of attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the error of the last failed attempt.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets why the mutation failed permanently, when <see cref="Status"/> is <see cref="MutationStatus.PermanentlyFailed"/>.</summary>
    public FailureReason? FailureReason { get; init; }

    /// <summary>Gets how many times it was re-sent after a conflict (the <c>:r{n}</c> suffix of the idempotency key).</summary>
    public int Resends { get; init; }

    /// <summary>Gets when it was queued.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }
}
