namespace OfflineSync;

/// <summary>
/// Rewrites reference slots through a <see cref="MappingTable"/>. A slot is looked up only among
/// the mappings of the resource it references (S13), and only declared slots are visited (S14).
/// In detect mode (<see cref="Write"/> off) it only reports whether a slot would change, so the
/// caller can copy an entity before rewriting it and shared instances stay untouched.
/// </summary>
internal struct ReferenceRewriter : IReferenceVisitor
{
    private readonly MappingTable _table;

    public ReferenceRewriter(MappingTable table, bool write)
    {
        _table = table;
        Write = write;
    }

    /// <summary>Gets whether matching slots are written back.</summary>
    public bool Write { get; }

    /// <summary>Gets whether a slot holding a mapped key was seen.</summary>
    public bool Found { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        // String keys are looked up as they are; other key types go through their canonical form.
        string formatted = typeof(TKey) == typeof(string) ? (string)(object)key : SyncKeys.Format(key);
        if (!_table.TryMap(TTarget.ResourceName, formatted, out string serverKey))
        {
            return;
        }

        Found = true;
        if (Write)
        {
            key = SyncKeys.Parse<TKey>(serverKey);
        }
    }

    /// <summary>Returns <paramref name="entity"/>, or a rewritten copy when one of its references is mapped.</summary>
    public static TEntity Rewrite<TEntity>(TEntity entity, MappingTable table)
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (table.Count == 0)
        {
            return entity;
        }

        var probe = new ReferenceRewriter(table, write: false);
        TEntity.VisitReferences(entity, ref probe);
        if (!probe.Found)
        {
            return entity;
        }

        TEntity copy = EntityJson<TEntity>.Clone(entity);
        var writer = new ReferenceRewriter(table, write: true);
        TEntity.VisitReferences(copy, ref writer);
        return copy;
    }

    /// <summary>Returns <paramref name="patch"/>, or a rewritten copy when one of its references is mapped.</summary>
    public static ISyncPatch<TEntity> Rewrite<TEntity>(ISyncPatch<TEntity> patch, MappingTable table)
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (table.Count == 0)
        {
            return patch;
        }

        var probe = new ReferenceRewriter(table, write: false);
        patch.VisitReferences(ref probe);
        if (!probe.Found)
        {
            return patch;
        }

        ISyncPatch<TEntity> copy = EntityJson<TEntity>.Clone(patch);
        var writer = new ReferenceRewriter(table, write: true);
        copy.VisitReferences(ref writer);
        return copy;
    }
}
