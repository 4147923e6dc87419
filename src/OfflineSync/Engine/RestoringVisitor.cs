namespace OfflineSync;

/// <summary>
/// Visits the references of a mutation loaded from the store after a restart, or remapped through its typed form,
/// as the live path leaves them (S3, S5): a slot that points at a create still queued keeps the key it was queued
/// with and makes that create a dependency, because the request may have been sent and its retry must repeat it
/// exactly; the slot takes the server key only once the create leaves the queue. Every other slot with a confirmed
/// mapping takes its server key now.
/// </summary>
internal struct RestoringVisitor(IdMap map, MutationQueue queue) : IReferenceVisitor
{
    private readonly IdMap _map = map;
    private readonly MutationQueue _queue = queue;

    /// <summary>Gets whether a slot was rewritten.</summary>
    public bool Changed { get; private set; }

    /// <summary>
    /// Gets the keys the slots held: of queued creates, and of mapped keys whose creates are gone (with their server
    /// keys), or <see langword="null"/> when there are none.
    /// </summary>
    public List<HeldKey>? Held { get; private set; }

    /// <summary>Gets the queued creates the slots point at, each once, or <see langword="null"/> when there are none.</summary>
    public readonly QueuedMutation[]? Creates => HeldKeys.Creates(Held);

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        int typeId = EntityTypeId<TTarget>.Value;
        bool mapped = _map.TryResolve(typeId, key, out TKey? server);

        // A create the feed confirmed before the restart is queued under its server key (the restore resolves object keys).
        if (_queue.FindPendingCreate(typeId, mapped ? server! : key) is { } create)
        {
            Hold(create, key, null);
            return;
        }

        if (mapped)
        {
            Hold(null, key, SyncKeys.Format(server!));
            key = server!;
            Changed = true;
        }
    }

    private void Hold<TKey>(QueuedMutation? create, TKey key, string? server)
        where TKey : notnull
    {
        string text = SyncKeys.Format(key);
        List<HeldKey> held = Held ??= new List<HeldKey>(1);
        for (int i = 0; i < held.Count; i++)
        {
            if (ReferenceEquals(held[i].Create, create) && held[i].Text == text && held[i].Server == server)
            {
                held[i] = held[i] with { Slots = held[i].Slots + 1 };
                return;
            }
        }

        held.Add(new HeldKey(create, text, 1, server));
    }
}
