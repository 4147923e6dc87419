namespace OfflineSync;

/// <summary>
/// Rewrites reference slots through an <see cref="IMappingLookup"/>, or through one mapping. A slot is looked up only
/// among the mappings of the resource it references (S13), and only declared slots are visited (S14). In detect
/// mode (<see cref="Write"/> off) it only reports whether a slot would change, so the caller can copy an entity
/// before rewriting it and shared instances stay untouched.
/// </summary>
internal struct ReferenceRewriter : IReferenceVisitor
{
    private readonly IMappingLookup? _table;
    private readonly IdMapping? _mapping;

    private ReferenceRewriter(IMappingLookup? table, IdMapping? mapping, bool write)
    {
        _table = table;
        _mapping = mapping;
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
        string serverKey;
        if (_mapping is { } only)
        {
            if (only.Resource != TTarget.ResourceName || only.OptimisticKey != formatted)
            {
                return;
            }

            serverKey = only.ServerKey;
        }
        else if (!_table!.TryMap(TTarget.ResourceName, formatted, out string? mapped))
        {
            return;
        }
        else
        {
            serverKey = mapped;
        }

        Found = true;
        if (Write)
        {
            key = SyncKeys.Parse<TKey>(serverKey);
        }
    }

    /// <summary>Returns <paramref name="entity"/>, or a rewritten copy when one of its references is mapped.</summary>
    public static TEntity Rewrite<TEntity>(TEntity entity, IMappingLookup table)
        where TEntity : class, ISyncEntity<TEntity> =>
        table.Count == 0 ? entity : Rewrite(entity, new ReferenceRewriter(table, null, write: false));

    /// <summary>Returns <paramref name="entity"/>, or a rewritten copy when one of its references holds the mapped key.</summary>
    public static TEntity Rewrite<TEntity>(TEntity entity, IdMapping mapping)
        where TEntity : class, ISyncEntity<TEntity> => Rewrite(entity, new ReferenceRewriter(null, mapping, write: false));

    /// <summary>Returns <paramref name="patch"/>, or a rewritten copy when one of its references is mapped.</summary>
    public static ISyncPatch<TEntity> Rewrite<TEntity>(ISyncPatch<TEntity> patch, IMappingLookup table)
        where TEntity : class, ISyncEntity<TEntity> =>
        table.Count == 0 ? patch : Rewrite(patch, new ReferenceRewriter(table, null, write: false));

    /// <summary>Returns <paramref name="patch"/>, or a rewritten copy when one of its references holds the mapped key.</summary>
    public static ISyncPatch<TEntity> Rewrite<TEntity>(ISyncPatch<TEntity> patch, IdMapping mapping)
        where TEntity : class, ISyncEntity<TEntity> => Rewrite(patch, new ReferenceRewriter(null, mapping, write: false));

    /// <summary>Rewrites the mapped references of an entity nobody else holds yet, in place.</summary>
    public static void RewriteOwned<TEntity>(TEntity entity, IMappingLookup table)
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (table.Count != 0)
        {
            var writer = new ReferenceRewriter(table, null, write: true);
            TEntity.VisitReferences(entity, ref writer);
        }
    }

    /// <summary>Rewrites the mapped references of a patch nobody else holds yet, in place.</summary>
    public static void RewriteOwned<TEntity>(ISyncPatch<TEntity> patch, IMappingLookup table)
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (table.Count != 0)
        {
            var writer = new ReferenceRewriter(table, null, write: true);
            patch.VisitReferences(ref writer);
        }
    }

    private static TEntity Rewrite<TEntity>(TEntity entity, ReferenceRewriter probe)
        where TEntity : class, ISyncEntity<TEntity>
    {
        TEntity.VisitReferences(entity, ref probe);
        if (!probe.Found)
        {
            return entity;
        }

        TEntity copy = EntityJson<TEntity>.Clone(entity);
        var writer = new ReferenceRewriter(probe._table, probe._mapping, write: true);
        TEntity.VisitReferences(copy, ref writer);
        return copy;
    }

    private static ISyncPatch<TEntity> Rewrite<TEntity>(ISyncPatch<TEntity> patch, ReferenceRewriter probe)
        where TEntity : class, ISyncEntity<TEntity>
    {
        patch.VisitReferences(ref probe);
        if (!probe.Found)
        {
            return patch;
        }

        ISyncPatch<TEntity> copy = EntityJson<TEntity>.Clone(patch);
        var writer = new ReferenceRewriter(probe._table, probe._mapping, write: true);
        copy.VisitReferences(ref writer);
        return copy;
    }
}
