namespace OfflineSync.Server.Resources;

/// <summary>
/// Walks the reference slots of an entity or patch through the generated visitor: rewrites keys of rows
/// created earlier in the same batch (optimistic keys, and proposed keys the server replaced because they
/// were taken), and records the first slot the server refuses: a <c>null</c> element in a list of keys, a
/// key outside the protocol's limits, or an optimistic key it cannot resolve (it never stores one).
/// </summary>
internal struct ReferenceGuard : IReferenceVisitor
{
    private readonly BatchScope? _scope;

    public ReferenceGuard(BatchScope? scope) => _scope = scope;

    public SyncProblem? Problem { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        if (Problem is not null)
        {
            return;
        }

        // The generated visitor skips a null scalar reference (an unset foreign key), so a null here is an element of a list of keys.
        string? text = key is null ? null : SyncKeys.Format(key);
        if (InputRules.CheckKey(text, $"A reference to '{TTarget.ResourceName}'") is { } invalid)
        {
            Problem = invalid;
            return;
        }

        if (_scope is not null && _scope.TryResolve(TTarget.ResourceName, text!, out string serverKey))
        {
            // A proposed key that was taken means this client's new row, not the row that holds it.
            key = SyncKeys.Parse<TKey>(serverKey);
            return;
        }

        if (TTarget.IsOptimisticKey(text!))
        {
            Problem = SyncProblem.OptimisticReference(TTarget.ResourceName, text!);
        }
    }
}
