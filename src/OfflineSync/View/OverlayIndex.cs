namespace OfflineSync;

/// <summary>
/// Finds a view's overlay entries without walking the overlay: by item key, by the keys their
/// reference slots hold, and open (unacknowledged) creates by origin key. A drain confirms thousands
/// of creates, and every mapping (S3) and feed event (S15) would otherwise visit every pending change.
/// </summary>
/// <remarks>Not thread-safe: the owning view guards it with its lock, and keeps it in step with every overlay write.</remarks>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed class OverlayIndex<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    // Sorted sets, not lists: thousands of pending changes may reference one key (every todo of one
    // category), and adding or removing one of them must not scan the others.
    private static readonly SortedSet<long> None = [];
    private readonly Dictionary<string, SortedSet<long>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string Key), SortedSet<long>> _byReference = new();
    private readonly Dictionary<string, SortedSet<long>> _openCreates = new(StringComparer.Ordinal);

    // The references each change was indexed under, so removing it needs no second walk of its entity.
    private readonly Dictionary<long, List<(string Resource, string Key)>> _referencesOf = new();

    public void Add(long sequence, PendingChange<TEntity> change)
    {
        AddTo(_byKey, change.Key, sequence);
        if (change is { Kind: MutationKind.Create, Acknowledged: false })
        {
            AddTo(_openCreates, change.Origin, sequence);
        }

        if (ReferencesOf(change) is { } references)
        {
            _referencesOf[sequence] = references;
            foreach ((string Resource, string Key) reference in references)
            {
                AddTo(_byReference, reference, sequence);
            }
        }
    }

    public void Remove(long sequence, PendingChange<TEntity> change)
    {
        RemoveFrom(_byKey, change.Key, sequence);
        if (change is { Kind: MutationKind.Create, Acknowledged: false })
        {
            RemoveFrom(_openCreates, change.Origin, sequence);
        }

        if (_referencesOf.Remove(sequence, out List<(string Resource, string Key)>? references))
        {
            foreach ((string Resource, string Key) reference in references)
            {
                RemoveFrom(_byReference, reference, sequence);
            }
        }
    }

    /// <summary>Gets the changes keyed <paramref name="key"/>, in queue order: a live set, so do not change the overlay while reading it.</summary>
    public SortedSet<long> WithKey(string key) => _byKey.GetValueOrDefault(key) ?? None;

    /// <summary>Gets the open creates made with origin key <paramref name="origin"/>.</summary>
    public long[] OpenCreates(string origin) => Sorted(_openCreates.GetValueOrDefault(origin), null);

    /// <summary>Gets the changes a mapping touches: keyed by its optimistic key (same resource) or referencing it.</summary>
    public long[] Mentioning(IdMapping mapping) =>
        Sorted(
            mapping.Resource == TEntity.ResourceName ? _byKey.GetValueOrDefault(mapping.OptimisticKey) : null,
            _byReference.GetValueOrDefault((mapping.Resource, mapping.OptimisticKey)));

    /// <summary>The keys the change's reference slots hold, or <see langword="null"/> when they hold none.</summary>
    private static List<(string Resource, string Key)>? ReferencesOf(PendingChange<TEntity> change)
    {
        var collector = default(Collector);
        if (change.Entity is not null)
        {
            TEntity.VisitReferences(change.Entity, ref collector);
        }

        change.Patch?.VisitReferences(ref collector);
        return collector.Found;
    }

    private static void AddTo<TKey>(Dictionary<TKey, SortedSet<long>> index, TKey key, long sequence)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out SortedSet<long>? sequences))
        {
            index[key] = sequences = [];
        }

        sequences.Add(sequence);
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, SortedSet<long>> index, TKey key, long sequence)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out SortedSet<long>? sequences) && sequences.Remove(sequence) && sequences.Count == 0)
        {
            index.Remove(key);
        }
    }

    /// <summary>A copy in queue order, so the caller may change the overlay while it walks it.</summary>
    private static long[] Sorted(SortedSet<long>? first, SortedSet<long>? second)
    {
        if (first is null || second is null)
        {
            return [.. first ?? second ?? None];
        }

        var all = new SortedSet<long>(first);
        all.UnionWith(second);
        return [.. all];
    }

    /// <summary>Collects every key a reference slot holds, in the form mappings use (S13, S14); a change without references allocates nothing.</summary>
    private struct Collector : IReferenceVisitor
    {
        public List<(string Resource, string Key)>? Found { get; private set; }

        public void Visit<TTarget, TKey>(ref TKey key)
            where TTarget : class, ISyncEntity<TTarget>
            where TKey : notnull =>
            (Found ??= []).Add((TTarget.ResourceName, typeof(TKey) == typeof(string) ? (string)(object)key : SyncKeys.Format(key)));
    }
}
