namespace OfflineSync;

/// <summary>
/// Visits the references of a mutation loaded from the store after a restart, as the live path left them
/// (S3, S5): a slot that points at a create still queued keeps the key it was queued with and makes that
/// create a dependency, because the request may have been sent and its retry must repeat it exactly; the
/// slot takes the server key only once the create leaves the queue (<see cref="QueuedMutation.NeedsRemap"/>).
/// Every other slot with a confirmed mapping takes its server key now.
/// </summary>
internal struct RestoringVisitor(IdMap map, MutationQueue queue) : IReferenceVisitor
{
    private readonly IdMap _map = map;
    private readonly MutationQueue _queue = queue;

    /// <summary>Gets whether a slot was rewritten.</summary>
    public bool Changed { get; private set; }

    /// <summary>Gets the queued creates the slots point at, each once, or <see langword="null"/> when there are none.</summary>
    public List<QueuedMutation>? Creates { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        int typeId = EntityTypeId<TTarget>.Value;
        bool mapped = _map.TryResolve(typeId, key, out TKey? server);

        // A create the feed confirmed before the restart is queued under its server key (the restore resolves object keys).
        if (_queue.FindPendingCreate(typeId, mapped ? server! : key) is { } create)
        {
            Creates ??= new List<QueuedMutation>(1);
            if (!Creates.Contains(create))
            {
                Creates.Add(create);
            }

            return;
        }

        if (mapped)
        {
            key = server!;
            Changed = true;
        }
    }
}
