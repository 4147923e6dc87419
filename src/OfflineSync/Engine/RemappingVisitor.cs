namespace OfflineSync;

/// <summary>
/// Rewrites every reference slot whose key has a confirmed mapping of the slot's target resource
/// (S12–S14). Only slots the generator declared are visited, so a look-alike string elsewhere is never
/// touched; nothing is allocated when nothing changes.
/// </summary>
internal struct RemappingVisitor(IdMap map) : IReferenceVisitor
{
    private readonly IdMap _map = map;

    /// <summary>Gets whether a slot was rewritten.</summary>
    public bool Changed { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        if (_map.TryResolve(EntityTypeId<TTarget>.Value, key, out TKey? server))
        {
            key = server;
            Changed = true;
        }
    }
}
