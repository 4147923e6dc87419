using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>
/// The in-memory queue: a FIFO list of the mutations that can be sent, the permanently failed ones
/// parked beside it, and indexes by sequence, by object (resource, key) and by app idempotency key.
/// Every operation is O(1) or O(log n) in the queue length, or linear only in one object's mutations.
/// </summary>
/// <remarks>Not thread-safe: the engine uses it under its lock.</remarks>
internal sealed class MutationQueue
{
    private readonly Dictionary<long, QueuedMutation> _bySequence = new();
    private readonly Dictionary<string, QueuedMutation> _byAppKey = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, QueuedMutation> _parked = new();
    private readonly Dictionary<string, ObjectEntry>?[] _objects;
    private readonly int[] _pendingCreates;

    public MutationQueue(int typeCount)
    {
        _objects = new Dictionary<string, ObjectEntry>?[typeCount];
        _pendingCreates = new int[typeCount];
    }

    /// <summary>Gets the number of queued mutations, parked ones included (what <see cref="SyncOptions.MaxQueueSize"/> limits).</summary>
    public int Count => _bySequence.Count;

    /// <summary>Gets the oldest mutation that can be sent.</summary>
    public QueuedMutation? Head { get; private set; }

    private QueuedMutation? Tail { get; set; }

    public bool TryGet(long sequence, [NotNullWhen(true)] out QueuedMutation? mutation) => _bySequence.TryGetValue(sequence, out mutation);

    public bool TryGetByAppKey(string appKey, [NotNullWhen(true)] out QueuedMutation? mutation) => _byAppKey.TryGetValue(appKey, out mutation);

    public void IndexAppKey(string appKey, QueuedMutation mutation) => _byAppKey[appKey] = mutation;

    public ObjectEntry? FindObject(int typeId, string key) =>
        _objects[typeId] is { } objects && objects.TryGetValue(key, out ObjectEntry? entry) ? entry : null;

    public ObjectEntry GetOrAddObject(int typeId, string key)
    {
        Dictionary<string, ObjectEntry> objects = _objects[typeId] ??= new Dictionary<string, ObjectEntry>(StringComparer.Ordinal);
        if (!objects.TryGetValue(key, out ObjectEntry? entry))
        {
            entry = new ObjectEntry(key);
            objects.Add(key, entry);
        }

        return entry;
    }

    /// <summary>Finds the queued, unconfirmed create of the object a reference slot points at (S5).</summary>
    public QueuedMutation? FindPendingCreate<TKey>(int typeId, TKey key)
        where TKey : notnull
    {
        if ((uint)typeId >= (uint)_pendingCreates.Length || _pendingCreates[typeId] == 0 || key is null)
        {
            return null;
        }

        string text = typeof(TKey) == typeof(string) ? (string)(object)key : SyncKeys.Format(key);
        return FindObject(typeId, text)?.Create;
    }

    /// <summary>Marks <paramref name="create"/> as its object's unconfirmed create.</summary>
    public void SetPendingCreate(QueuedMutation create)
    {
        if (create.Object.Create is null)
        {
            create.Object.Create = create;
            _pendingCreates[create.Resource.TypeId]++;
        }
    }

    /// <summary>Clears the object's unconfirmed create: it was confirmed or left the queue.</summary>
    public void ClearPendingCreate(QueuedMutation create)
    {
        if (ReferenceEquals(create.Object.Create, create))
        {
            create.Object.Create = null;
            _pendingCreates[create.Resource.TypeId]--;
        }
    }

    /// <summary>Re-indexes an object under its server key once its create is confirmed (S3).</summary>
    public void Rekey(int typeId, string optimisticKey, string serverKey)
    {
        if (_objects[typeId] is not { } objects || !objects.Remove(optimisticKey, out ObjectEntry? entry))
        {
            return;
        }

        if (objects.TryGetValue(serverKey, out ObjectEntry? existing))
        {
            // Mutations queued under the server key already (the feed confirmed the mapping first): one object, queue order.
            foreach (QueuedMutation moved in entry.ToArray())
            {
                existing.Add(moved);
            }

            existing.Create ??= entry.Create;
            return;
        }

        entry.Key = serverKey;
        objects.Add(serverKey, entry);
    }

    /// <summary>Adds a new mutation at the tail.</summary>
    public void Append(QueuedMutation mutation)
    {
        _bySequence.Add(mutation.Sequence, mutation);
        mutation.Object.Add(mutation);
        if (mutation.AppIdempotencyKey is { } appKey)
        {
            _byAppKey[appKey] = mutation;
        }

        if (mutation.Status == MutationStatus.PermanentlyFailed)
        {
            _parked.Add(mutation.Sequence, mutation);
        }
        else
        {
            LinkLast(mutation);
        }
    }

    /// <summary>Takes a mutation out of the queue and every index.</summary>
    public void Remove(QueuedMutation mutation)
    {
        if (mutation.Removed)
        {
            return;
        }

        mutation.Removed = true;
        _bySequence.Remove(mutation.Sequence);
        if (mutation.InActiveList)
        {
            Unlink(mutation);
        }
        else
        {
            _parked.Remove(mutation.Sequence);
        }

        RemoveAppKey(mutation.AppIdempotencyKey, mutation);
        if (mutation.MergedAppKeys is { } merged)
        {
            foreach (string appKey in merged)
            {
                RemoveAppKey(appKey, mutation);
            }
        }

        ClearPendingCreate(mutation);
        ObjectEntry entry = mutation.Object;
        entry.Remove(mutation);
        if (entry.Count == 0 && _objects[mutation.Resource.TypeId] is { } objects
            && objects.TryGetValue(entry.Key, out ObjectEntry? indexed) && ReferenceEquals(indexed, entry))
        {
            objects.Remove(entry.Key);
        }
    }

    /// <summary>Moves a permanently failed mutation out of the FIFO list, so the drain never walks over it (S9).</summary>
    public void Park(QueuedMutation mutation)
    {
        if (mutation.InActiveList)
        {
            Unlink(mutation);
            _parked.Add(mutation.Sequence, mutation);
        }
    }

    /// <summary>Puts a parked mutation back in the FIFO list at its place in queue order (RetryAsync).</summary>
    public void Unpark(QueuedMutation mutation)
    {
        if (!_parked.Remove(mutation.Sequence))
        {
            return;
        }

        QueuedMutation? after = Tail;
        while (after is not null && after.Sequence > mutation.Sequence)
        {
            after = after.Previous;
        }

        mutation.Previous = after;
        mutation.Next = after is null ? Head : after.Next;
        if (mutation.Next is null)
        {
            Tail = mutation;
        }
        else
        {
            mutation.Next.Previous = mutation;
        }

        if (after is null)
        {
            Head = mutation;
        }
        else
        {
            after.Next = mutation;
        }

        mutation.InActiveList = true;
    }

    /// <summary>Finds the oldest mutation that is not in flight, parked ones included (DropOldest, S7).</summary>
    public QueuedMutation? OldestNotInFlight()
    {
        QueuedMutation? active = Head;
        while (active is not null && active.Status == MutationStatus.InFlight)
        {
            active = active.Next;
        }

        QueuedMutation? parked = null;
        foreach (QueuedMutation first in _parked.Values)
        {
            parked = first;
            break;
        }

        if (active is null)
        {
            return parked;
        }

        return parked is not null && parked.Sequence < active.Sequence ? parked : active;
    }

    /// <summary>Lists every queued mutation in queue order.</summary>
    public List<QueuedMutation> ToList()
    {
        var list = new List<QueuedMutation>(Count);
        using SortedDictionary<long, QueuedMutation>.ValueCollection.Enumerator parked = _parked.Values.GetEnumerator();
        bool hasParked = parked.MoveNext();
        for (QueuedMutation? active = Head; active is not null; active = active.Next)
        {
            while (hasParked && parked.Current.Sequence < active.Sequence)
            {
                list.Add(parked.Current);
                hasParked = parked.MoveNext();
            }

            list.Add(active);
        }

        while (hasParked)
        {
            list.Add(parked.Current);
            hasParked = parked.MoveNext();
        }

        return list;
    }

    /// <summary>Empties the queue (ClearAsync).</summary>
    public void Clear()
    {
        foreach (QueuedMutation mutation in _bySequence.Values)
        {
            mutation.Removed = true;
            mutation.InActiveList = false;
        }

        _bySequence.Clear();
        _byAppKey.Clear();
        _parked.Clear();
        Array.Clear(_objects);
        Array.Clear(_pendingCreates);
        Head = null;
        Tail = null;
    }

    private void RemoveAppKey(string? appKey, QueuedMutation mutation)
    {
        if (appKey is not null && _byAppKey.TryGetValue(appKey, out QueuedMutation? indexed) && ReferenceEquals(indexed, mutation))
        {
            _byAppKey.Remove(appKey);
        }
    }

    private void LinkLast(QueuedMutation mutation)
    {
        mutation.Previous = Tail;
        mutation.Next = null;
        if (Tail is null)
        {
            Head = mutation;
        }
        else
        {
            Tail.Next = mutation;
        }

        Tail = mutation;
        mutation.InActiveList = true;
    }

    private void Unlink(QueuedMutation mutation)
    {
        if (mutation.Previous is null)
        {
            Head = mutation.Next;
        }
        else
        {
            mutation.Previous.Next = mutation.Next;
        }

        if (mutation.Next is null)
        {
            Tail = mutation.Previous;
        }
        else
        {
            mutation.Next.Previous = mutation.Previous;
        }

        mutation.Previous = null;
        mutation.Next = null;
        mutation.InActiveList = false;
    }
}
