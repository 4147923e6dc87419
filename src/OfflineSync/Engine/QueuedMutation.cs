namespace OfflineSync;

/// <summary>
/// A mutation while it is queued: what the store persists plus what the engine tracks in memory
/// (its place in the FIFO list, the creates it depends on, the mutations that depend on it).
/// </summary>
/// <remarks>Mutable; only touched under the engine's lock.</remarks>
internal sealed class QueuedMutation
{
    public QueuedMutation(long sequence, ResourceRuntime resource, MutationKind kind, ObjectEntry entry, string key, ReadOnlyMemory<byte> payload, string idempotencyKey, string originalIdempotencyKey, DateTimeOffset enqueuedAt)
    {
        OriginalIdempotencyKey = originalIdempotencyKey;
        Sequence = sequence;
        Resource = resource;
        Kind = kind;
        Object = entry;
        Key = key;
        Payload = payload;
        IdempotencyKey = idempotencyKey;
        EnqueuedAt = enqueuedAt;
    }

    public long Sequence { get; }

    public ResourceRuntime Resource { get; }

    public MutationKind Kind { get; }

    /// <summary>Gets the queue's entry for the mutated object (resource, key).</summary>
    public ObjectEntry Object { get; set; }

    /// <summary>Gets the key as queued; for an object created offline it is optimistic until the create is confirmed.</summary>
    public string Key { get; }

    /// <summary>Gets or sets the JSON payload; references hold keys as queued and are remapped when sent.</summary>
    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Gets or sets the typed patch of an update, kept for coalescing (S6).</summary>
    public object? Patch { get; set; }

    public string IdempotencyKey { get; set; }

    /// <summary>Gets or sets the key of the first attempt; re-sends derive theirs from it (S11).</summary>
    public string OriginalIdempotencyKey { get; }

    public string? AppIdempotencyKey { get; set; }

    /// <summary>Gets or sets the further app idempotency keys of updates merged into this one.</summary>
    public List<string>? MergedAppKeys { get; set; }

    /// <summary>Gets or sets the base version (<c>If-Match</c>).</summary>
    public string? BaseVersion { get; set; }

    /// <summary>
    /// Gets or sets whether the edit was made on top of an earlier queued mutation of the same object:
    /// its base version is then the version that mutation's answer carries (S10).
    /// </summary>
    public bool BaseFromPrevious { get; set; }

    public MutationStatus Status { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public FailureReason? FailureReason { get; set; }

    public int Resends { get; set; }

    /// <summary>
    /// Gets or sets when a re-send after repeated conflicts may go (S11): until then the drain waits as after a
    /// transient failure. Kept in memory only: after a restart the re-send goes at once, and attempts still count.
    /// </summary>
    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>Gets or sets the queued creates whose optimistic keys this mutation references (S5, S9).</summary>
    public List<QueuedMutation>? DependsOn { get; set; }

    /// <summary>Gets or sets, for a create, the later mutations that reference its key.</summary>
    public List<QueuedMutation>? Dependents { get; set; }

    /// <summary>Gets or sets whether a create this mutation references was confirmed: the payload must be remapped when sent.</summary>
    public bool NeedsRemap { get; set; }

    /// <summary>Gets or sets the view sequences of updates folded into this create (S6); they are settled with it.</summary>
    public List<long>? Absorbed { get; set; }

    /// <summary>Gets or sets whether the mutation left the queue; lists that still point at it skip it.</summary>
    public bool Removed { get; set; }

    /// <summary>
    /// Gets or sets whether a push may have carried the mutation: it was taken into a batch, or it was loaded
    /// from the store, which cannot tell whether it was in flight when the process stopped. The server may hold
    /// such a mutation under its idempotency key, and a key must keep meaning the same body.
    /// </summary>
    public bool MaybeSent { get; set; }

    /// <summary>Gets whether the mutation was certainly never sent: only then may it be coalesced or cancelled (S6).</summary>
    public bool Untouched => !MaybeSent && Status == MutationStatus.Pending;

    // The FIFO list of mutations that can be sent (PermanentlyFailed ones are parked outside it).
    public QueuedMutation? Previous { get; set; }

    public QueuedMutation? Next { get; set; }

    public bool InActiveList { get; set; }

    public string CurrentKey(IdMap map) => map.Resolve(Resource.TypeId, Key);

    public StoredMutation ToStored() => new()
    {
        Sequence = Sequence,
        Resource = Resource.Name,
        Kind = Kind,
        Key = Key,
        Payload = Payload,
        IdempotencyKey = IdempotencyKey,
        AppIdempotencyKey = AppIdempotencyKey,
        BaseVersion = BaseVersion,
        Status = Status == MutationStatus.InFlight ? MutationStatus.Pending : Status,
        Attempts = Attempts,
        LastError = LastError,
        FailureReason = FailureReason,
        Resends = Resends,
        EnqueuedAt = EnqueuedAt,
    };

    public PendingMutation ToPending(IdMap map) =>
        new(Sequence, Resource.Name, Kind, CurrentKey(map), Status, Attempts, LastError, FailureReason, EnqueuedAt);

    public void AddDependency(QueuedMutation create)
    {
        (DependsOn ??= new List<QueuedMutation>(1)).Add(create);
        (create.Dependents ??= new List<QueuedMutation>(1)).Add(this);
    }
}
