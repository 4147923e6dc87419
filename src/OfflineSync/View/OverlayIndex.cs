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
    private readonly Dictionary<string, List<long>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string Key), List<long>> _byReference = new();
    private readonly Dictionary<string, List<long>> _openCreates = new(StringComparer.Ordinal);

    public void Add(long sequence, PendingChange<TEntity> change)
    {
        AddTo(_byKey, change.Key, sequence);
        if (change is { Kind: MutationKind.Create, Acknowledged: false })
        {
            AddTo(_openCreates, change.Origin, sequence);
        }

        foreach ((string Resource, string Key) reference in ReferencesOf(change))
        {
            AddTo(_byReference, reference, sequence);
        }
    }

    public void Remove(long sequence, PendingChange<TEntity> change)
    {
        RemoveFrom(_byKey, change.Key, sequence);
        if (change is { Kind: MutationKind.Create, Acknowledged: false })
        {
            RemoveFrom(_openCreates, change.Origin, sequence);
        }

        foreach ((string Resource, string Key) reference in ReferencesOf(change))
        {
            RemoveFrom(_byReference, reference, sequence);
        }
    }

    /// <summary>Gets whether a pending change is keyed <paramref name="key"/>.</summary>
    public bool HoldsKey(string key) => _byKey.ContainsKey(key);

    /// <summary>Gets the changes keyed <paramref name="key"/>, in queue order.</summary>
    public long[] WithKey(string key) => Sorted(_byKey.GetValueOrDefault(key), null);

    /// <summary>Gets the open creates made with origin key <paramref name="origin"/>.</summary>
    public long[] OpenCreates(string origin) => Sorted(_openCreates.GetValueOrDefault(origin), null);

    /// <summary>Gets the changes a mapping touches: keyed by its optimistic key (same resource) or referencing it.</summary>
    public long[] Mentioning(IdMapping mapping) =>
        Sorted(
            mapping.Resource == TEntity.ResourceName ? _byKey.GetValueOrDefault(mapping.OptimisticKey) : null,
            _byReference.GetValueOrDefault((mapping.Resource, mapping.OptimisticKey)));

    private static List<(string Resource, string Key)> ReferencesOf(PendingChange<TEntity> change)
    {
        var collector = new Collector([]);
        if (change.Entity is not null)
        {
            TEntity.VisitReferences(change.Entity, ref collector);
        }

        change.Patch?.VisitReferences(ref collector);
        return collector.Found;
    }

    private static void AddTo<TKey>(Dictionary<TKey, List<long>> index, TKey key, long sequence)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out List<long>? sequences))
        {
            index[key] = sequences = new List<long>(1);
        }

        if (!sequences.Contains(sequence))
        {
            sequences.Add(sequence);
        }
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, List<long>> index, TKey key, long sequence)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out List<long>? sequences) && sequences.Remove(sequence) && sequences.Count == 0)
        {
            index.Remove(key);
        }
    }

    private static long[] Sorted(List<long>? first, List<long>? second)
    {
        if (first is null && second is null)
        {
            return [];
        }

        var all = new SortedSet<long>(first ?? []);
        all.UnionWith(second ?? []);
        return [.. all];
    }

    /// <summary>Collects every key a reference slot holds, in the form mappings use (S13, S14).</summary>
    private readonly struct Collector(List<(string Resource, string Key)> found) : IReferenceVisitor
    {
        public List<(string Resource, string Key)> Found { get; } = found;

        public void Visit<TTarget, TKey>(ref TKey key)
            where TTarget : class, ISyncEntity<TTarget>
            where TKey : notnull =>
            Found.Add((TTarget.ResourceName, typeof(TKey) == typeof(string) ? (string)(object)key : SyncKeys.Format(key)));
    }
}
