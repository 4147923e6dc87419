namespace OfflineSync;

/// <summary>
/// Collects the queued, unconfirmed creates that the reference slots of an entity or patch point at:
/// the mutation may not be sent before them (S5), merges only after them (S6) and fails with them (S9).
/// </summary>
internal struct DependencyVisitor(MutationQueue queue) : IReferenceVisitor
{
    private readonly MutationQueue _queue = queue;

    /// <summary>Gets the creates found, each once, or <see langword="null"/> when there are none.</summary>
    public List<QueuedMutation>? Creates { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        if (_queue.FindPendingCreate(EntityTypeId<TTarget>.Value, key) is { } create)
        {
            Creates ??= new List<QueuedMutation>(1);
            if (!Creates.Contains(create))
            {
                Creates.Add(create);
            }
        }
    }
}
