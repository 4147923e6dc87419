namespace OfflineSync;

/// <summary>
/// A mutation while it is queued: what the store persists plus what the engine tracks in memory
/// (its place in the FIFO list, the creates it depends on, the mutations that depend on it).
/// </summary>
/// <remarks>Mutable; only touched under the engine's lock.</remarks>
internal sealed class QueuedMutation
{
    // What most mutations never need lives in Extra, made on first use: the queue keeps thousands of mutations,
    // and its memory per mutation should stay near the size of the payload.
    private Extras? _extra;
    private long _enqueuedAtTicks;

    public QueuedMutation(long sequence, ResourceRuntime resource, MutationKind kind, ObjectEntry entry, string key, string idempotencyKey, DateTimeOffset enqueuedAt)
    {
        Sequence = sequence;
        Resource = resource;
        Kind = kind;
        Object = entry;
        Key = key;
        IdempotencyKey = idempotencyKey;
        _enqueuedAtTicks = enqueuedAt.UtcTicks;
    }

    public long Sequence { get; }

    public ResourceRuntime Resource { get; }

    public MutationKind Kind { get; }

    /// <summary>Gets the queue's entry for the mutated object (resource, key).</summary>
    public ObjectEntry Object { get; set; }

    /// <summary>Gets the key as queued; for an object created offline it is optimistic until the create is confirmed.</summary>
    public string Key { get; }

    /// <summary>Gets the JSON payload; references to creates still queued hold their keys as queued (see <see cref="Slots"/>).</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    public string IdempotencyKey { get; set; }

    /// <summary>Gets the key of the first attempt; re-sends derive theirs from it (S11).</summary>
    public string OriginalIdempotencyKey =>
        Resends > 0 && IdempotencyKey.LastIndexOf(":r", StringComparison.Ordinal) is > 0 and int cut ? IdempotencyKey[..cut] : IdempotencyKey;

    public string? AppIdempotencyKey
    {
        get => _extra?.AppIdempotencyKey;
        set => Extra(value is not null)?.AppIdempotencyKey = value;
    }

    /// <summary>Gets or sets the further app idempotency keys of updates merged into this one.</summary>
    public List<string>? MergedAppKeys
    {
        get => _extra?.MergedAppKeys;
        set => Extra(value is not null)?.MergedAppKeys = value;
    }

    /// <summary>Gets or sets the base version (<c>If-Match</c>).</summary>
    public string? BaseVersion { get; set; }

    /// <summary>
    /// Gets or sets whether the edit was made on top of an earlier queued mutation of the same object:
    /// its base version is then the version that mutation's answer carries (S10).
    /// </summary>
    public bool BaseFromPrevious { get; set; }

    public MutationStatus Status { get; set; }

    public int Attempts { get; set; }

    public string? LastError
    {
        get => _extra?.LastError;
        set => Extra(value is not null)?.LastError = value;
    }

    public FailureReason? FailureReason
    {
        get => _extra?.FailureReason;
        set => Extra(value is not null)?.FailureReason = value;
    }

    public int Resends
    {
        get => _extra?.Resends ?? 0;
        set => Extra(value != 0)?.Resends = value;
    }

    /// <summary>
    /// Gets or sets when a re-send after repeated conflicts may go (S11): until then the drain waits as after a
    /// transient failure. Kept in memory only: after a restart the re-send goes at once, and attempts still count.
    /// </summary>
    public DateTimeOffset? NotBefore
    {
        get => _extra?.NotBefore;
        set => Extra(value is not null)?.NotBefore = value;
    }

    public DateTimeOffset EnqueuedAt => new(_enqueuedAtTicks, TimeSpan.Zero);

    /// <summary>Gets the queued creates whose keys this mutation references (S5, S9), or <see langword="null"/>.</summary>
    public QueuedMutation[]? DependsOn { get; private set; }

    /// <summary>Gets or sets, for a create, the later mutations that reference its key.</summary>
    public List<QueuedMutation>? Dependents { get; set; }

    /// <summary>
    /// Gets or sets where <see cref="Payload"/> holds keys of creates that were queued when it was written; once such
    /// a create leaves the queue, the payload takes its server key when it is next sent (S3).
    /// </summary>
    public KeySlot[]? Slots { get; set; }

    /// <summary>
    /// Gets or sets whether the payload holds a key of a queued create that could not be told apart from a look-alike
    /// value (S14): once such a create leaves the queue, the payload is remapped through its typed form.
    /// </summary>
    public bool RemapTyped { get; set; }

    /// <summary>Gets or sets the view sequences of updates folded into this create (S6); they are settled with it.</summary>
    public List<long>? Absorbed
    {
        get => _extra?.Absorbed;
        set => Extra(value is not null)?.Absorbed = value;
    }

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

    // The object's queued mutations after this one, oldest first (ObjectEntry keeps its first).
    public QueuedMutation? NextOfObject { get; set; }

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

    /// <summary>Sets a new payload with where it holds keys of queued creates (see <see cref="ResourceRuntime.SetPayload"/>).</summary>
    public void SetPayload(ReadOnlyMemory<byte> payload, KeySlot[]? slots, bool remapTyped)
    {
        Payload = payload;
        Slots = slots;
        RemapTyped = remapTyped;
    }

    /// <summary>
    /// Gets the payload to send: keys of creates that left the queue since it was written take their server keys.
    /// What is settled stays settled, so a retry sends the same bytes.
    /// </summary>
    public ReadOnlyMemory<byte> PayloadForSend(IdMap map, MutationQueue queue)
    {
        if (Slots is { } slots)
        {
            Payload = PayloadSlots.Settle(Payload, slots, map, out KeySlot[]? remaining);
            Slots = remaining;
            return Payload;
        }

        if (!RemapTyped || DependsOn is not { } creates || !Array.Exists(creates, static c => c.Removed))
        {
            return Payload;
        }

        ReadOnlyMemory<byte> payload = Resource.RemapTyped(Kind, Payload, map, queue);
        if (!Array.Exists(creates, static c => !c.Removed))
        {
            Payload = payload;
            RemapTyped = false;
        }

        return payload;
    }

    /// <summary>Records the distinct creates a new mutation references (the array becomes the mutation's own).</summary>
    public void SetDependencies(QueuedMutation[] creates)
    {
        DependsOn = creates;
        foreach (QueuedMutation create in creates)
        {
            (create.Dependents ??= new List<QueuedMutation>(1)).Add(this);
        }
    }

    /// <summary>Records that this mutation references the key of <paramref name="create"/>, once.</summary>
    public void AddDependency(QueuedMutation create)
    {
        if (DependsOn is { } creates)
        {
            if (Array.IndexOf(creates, create) >= 0)
            {
                return;
            }

            QueuedMutation[] grown = new QueuedMutation[creates.Length + 1];
            creates.CopyTo(grown, 0);
            grown[^1] = create;
            DependsOn = grown;
        }
        else
        {
            DependsOn = [create];
        }

        (create.Dependents ??= new List<QueuedMutation>(1)).Add(this);
    }

    /// <summary>Gets the holder of the rare fields: made when <paramref name="needed"/>, else only when it exists.</summary>
    private Extras? Extra(bool needed) => needed ? _extra ??= new Extras() : _extra;

    private sealed class Extras
    {
        public string? AppIdempotencyKey { get; set; }

        public List<string>? MergedAppKeys { get; set; }

        public string? LastError { get; set; }

        public FailureReason? FailureReason { get; set; }

        public int Resends { get; set; }

        public DateTimeOffset? NotBefore { get; set; }

        public List<long>? Absorbed { get; set; }
    }
}
