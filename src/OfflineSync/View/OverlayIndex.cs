using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OfflineSync;

/// <summary>
/// Finds a view's overlay entries without walking the overlay: by item key, by the keys their
/// reference slots hold that a mapping may still rewrite (<see cref="PendingChange{TEntity}.OpenReferences"/>),
/// and open (unacknowledged) creates by origin key. A drain confirms thousands of creates, and every
/// mapping (S3) and feed event (S15) would otherwise visit every pending change.
/// </summary>
/// <remarks>Not thread-safe: the owning view guards it with its lock, and keeps it in step with every overlay write.</remarks>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed class OverlayIndex<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    // Sets, not lists: thousands of pending changes may reference one key (every todo of one category), and adding
    // or removing one of them must not scan the others. Most keys have one change, which costs no allocation.
    private readonly Dictionary<string, SequenceSet> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string Key), SequenceSet> _byReference = new();
    private readonly Dictionary<string, SequenceSet> _openCreates = new(StringComparer.Ordinal);

    public void Add(long sequence, PendingChange<TEntity> change)
    {
        AddTo(_byKey, change.Key, sequence);
        if (change is { Kind: MutationKind.Create, Acknowledged: false })
        {
            AddTo(_openCreates, change.Origin, sequence);
        }

        foreach ((string Resource, string Key) reference in change.OpenReferences ?? [])
        {
            AddTo(_byReference, reference, sequence);
        }
    }

    /// <summary>Moves a change's index entries from <paramref name="old"/> to <paramref name="change"/>, touching only what differs.</summary>
    public void Replace(long sequence, PendingChange<TEntity> old, PendingChange<TEntity> change)
    {
        if (old.Key != change.Key)
        {
            RemoveFrom(_byKey, old.Key, sequence);
            AddTo(_byKey, change.Key, sequence);
        }

        bool wasOpen = old is { Kind: MutationKind.Create, Acknowledged: false };
        bool isOpen = change is { Kind: MutationKind.Create, Acknowledged: false };
        if (wasOpen != isOpen || (isOpen && old.Origin != change.Origin))
        {
            if (wasOpen)
            {
                RemoveFrom(_openCreates, old.Origin, sequence);
            }

            if (isOpen)
            {
                AddTo(_openCreates, change.Origin, sequence);
            }
        }

        if (!ReferenceEquals(old.OpenReferences, change.OpenReferences))
        {
            foreach ((string Resource, string Key) reference in old.OpenReferences ?? [])
            {
                RemoveFrom(_byReference, reference, sequence);
            }

            foreach ((string Resource, string Key) reference in change.OpenReferences ?? [])
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

        foreach ((string Resource, string Key) reference in change.OpenReferences ?? [])
        {
            RemoveFrom(_byReference, reference, sequence);
        }
    }

    /// <summary>Gets whether some change holds a reference a mapping may still rewrite: when none does, a mapping of another resource has nothing to do here.</summary>
    public bool HasOpenReferences => _byReference.Count != 0;

    /// <summary>Gets the changes keyed <paramref name="key"/>, in queue order: do not change the index while enumerating them.</summary>
    public SequenceSet WithKey(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Gets the open creates made with origin key <paramref name="origin"/>.</summary>
    public long[] OpenCreates(string origin) => _openCreates.GetValueOrDefault(origin).ToArray();

    /// <summary>Gets the changes a mapping touches: keyed by its optimistic key (same resource) or referencing it, in queue order.</summary>
    public long[] Mentioning(IdMapping mapping)
    {
        long[] keyed = mapping.Resource == TEntity.ResourceName ? _byKey.GetValueOrDefault(mapping.OptimisticKey).ToArray() : [];
        long[] referencing = _byReference.GetValueOrDefault((mapping.Resource, mapping.OptimisticKey)).ToArray();
        if (keyed.Length == 0 || referencing.Length == 0)
        {
            return keyed.Length == 0 ? referencing : keyed;
        }

        var all = new SortedSet<long>(keyed);
        all.UnionWith(referencing);
        return [.. all];
    }

    /// <summary>Every key the reference slots of an entity or a patch hold, or <see langword="null"/> when they hold none.</summary>
    public static (string Resource, string Key)[]? ReferencesOf(TEntity? entity, ISyncPatch<TEntity>? patch)
    {
        var collector = default(Collector);
        if (entity is not null)
        {
            TEntity.VisitReferences(entity, ref collector);
        }

        patch?.VisitReferences(ref collector);
        return collector.Found?.ToArray();
    }

    private static void AddTo<TKey>(Dictionary<TKey, SequenceSet> index, TKey key, long sequence)
        where TKey : notnull =>
        CollectionsMarshal.GetValueRefOrAddDefault(index, key, out _).Add(sequence);

    private static void RemoveFrom<TKey>(Dictionary<TKey, SequenceSet> index, TKey key, long sequence)
        where TKey : notnull
    {
        ref SequenceSet sequences = ref CollectionsMarshal.GetValueRefOrNullRef(index, key);
        if (!Unsafe.IsNullRef(ref sequences) && sequences.Remove(sequence) && sequences.Count == 0)
        {
            index.Remove(key);
        }
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
