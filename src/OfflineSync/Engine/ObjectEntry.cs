namespace OfflineSync;

/// <summary>The queue's entry for one object (resource, key): its queued mutations in queue order, and its unconfirmed create.</summary>
/// <remarks>
/// The mutations are chained through <see cref="QueuedMutation.NextOfObject"/>: an object has one or two of them
/// almost always, and a list per object would cost more than the mutation's own fields.
/// </remarks>
internal sealed class ObjectEntry(string key)
{
    /// <summary>Gets or sets the key the queue indexes the object by: optimistic until its create is confirmed, then the server key.</summary>
    public string Key { get; set; } = key;

    /// <summary>Gets or sets the object's queued create, while it is unconfirmed; references to the object depend on it (S5).</summary>
    public QueuedMutation? Create { get; set; }

    /// <summary>Gets the object's oldest queued mutation.</summary>
    public QueuedMutation? First { get; private set; }

    /// <summary>Gets the object's newest queued mutation.</summary>
    public QueuedMutation? Last { get; private set; }

    /// <summary>Gets the number of the object's queued mutations.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the object's queued mutations, oldest first; copy them (<see cref="ToArray"/>) to change the entry while walking them.</summary>
    public Enumerable Mutations => new(First);

    public QueuedMutation[] ToArray()
    {
        var mutations = new QueuedMutation[Count];
        int i = 0;
        for (QueuedMutation? mutation = First; mutation is not null; mutation = mutation.NextOfObject)
        {
            mutations[i++] = mutation;
        }

        return mutations;
    }

    /// <summary>Adds a mutation at its place in queue order (the newest, except when two entries merge).</summary>
    public void Add(QueuedMutation mutation)
    {
        mutation.Object = this;
        Count++;
        if (Last is null || Last.Sequence < mutation.Sequence)
        {
            mutation.NextOfObject = null;
            if (Last is null)
            {
                First = mutation;
            }
            else
            {
                Last.NextOfObject = mutation;
            }

            Last = mutation;
            return;
        }

        QueuedMutation? previous = null;
        QueuedMutation? next = First;
        while (next is not null && next.Sequence < mutation.Sequence)
        {
            previous = next;
            next = next.NextOfObject;
        }

        mutation.NextOfObject = next;
        if (previous is null)
        {
            First = mutation;
        }
        else
        {
            previous.NextOfObject = mutation;
        }
    }

    public void Remove(QueuedMutation mutation)
    {
        QueuedMutation? previous = null;
        for (QueuedMutation? current = First; current is not null; previous = current, current = current.NextOfObject)
        {
            if (!ReferenceEquals(current, mutation))
            {
                continue;
            }

            if (previous is null)
            {
                First = current.NextOfObject;
            }
            else
            {
                previous.NextOfObject = current.NextOfObject;
            }

            if (ReferenceEquals(Last, current))
            {
                Last = previous;
            }

            current.NextOfObject = null;
            Count--;
            return;
        }
    }

    /// <summary>Walks an object's mutations without allocating.</summary>
    public readonly struct Enumerable(QueuedMutation? first)
    {
        public Enumerator GetEnumerator() => new(first);
    }

    public struct Enumerator(QueuedMutation? first)
    {
        private QueuedMutation? _next = first;

        public QueuedMutation Current { get; private set; } = null!;

        public bool MoveNext()
        {
            if (_next is null)
            {
                return false;
            }

            Current = _next;
            _next = _next.NextOfObject;
            return true;
        }
    }
}
