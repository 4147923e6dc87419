namespace OfflineSync;

/// <summary>
/// Collects the queued, unconfirmed creates that the reference slots of an entity or patch point at: the mutation
/// may not be sent before them (S5), merges only after them (S6) and fails with them (S9). It also counts the slots
/// holding each key, so that <see cref="PayloadSlots.Locate"/> can tell the slots apart from look-alikes (S14).
/// </summary>
internal struct DependencyVisitor(MutationQueue queue) : IReferenceVisitor
{
    private readonly MutationQueue _queue = queue;

    /// <summary>Gets the keys of queued creates the slots hold, or <see langword="null"/> when there are none.</summary>
    public List<HeldKey>? Held { get; private set; }

    /// <summary>Gets the distinct creates the slots point at, or <see langword="null"/> when there are none.</summary>
    public readonly QueuedMutation[]? Creates => HeldKeys.Creates(Held);

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        if (_queue.FindPendingCreate(EntityTypeId<TTarget>.Value, key) is not { } create)
        {
            return;
        }

        string text = typeof(TKey) == typeof(string) ? (string)(object)key : SyncKeys.Format(key);
        List<HeldKey> held = Held ??= new List<HeldKey>(1);
        for (int i = 0; i < held.Count; i++)
        {
            if (ReferenceEquals(held[i].Create, create) && held[i].Text == text)
            {
                held[i] = held[i] with { Slots = held[i].Slots + 1 };
                return;
            }
        }

        held.Add(new HeldKey(create, text, 1));
    }
}
