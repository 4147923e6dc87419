namespace OfflineSync;

/// <summary>
/// A mutation store that keeps everything in memory. Everything queued is lost when the process
/// exits: use it for tests and for apps whose pending changes may be lost; use
/// <c>SqliteMutationStore</c> to survive restarts (S4).
/// </summary>
/// <remarks>
/// It keeps the feed checkpoints too (<see cref="FeedCheckpoint"/>, a copy of each resource's server rows as JSON),
/// so a new client over the same store object resumes the feeds as after a restart; they cost that memory for the
/// life of the store. A new store holds none: its sets list their resources.
/// </remarks>
public sealed class InMemoryMutationStore : IMutationStore
{
    private readonly object _gate = new();
    private readonly Dictionary<long, StoredMutation> _queue = new();
    // In the order they were recorded (a dictionary without removals keeps it).
    private readonly Dictionary<(string Resource, string OptimisticKey), IdMapping> _mappings = new();
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FeedRows> _feeds = new(StringComparer.Ordinal);
    private readonly string _clientId = Guid.NewGuid().ToString("N");
    private long _lastSequence;

    /// <inheritdoc/>
    public StoreState Load()
    {
        lock (_gate)
        {
            StoredMutation[] pending = [.. _queue.Values];
            Array.Sort(pending, static (a, b) => a.Sequence.CompareTo(b.Sequence));
            return new StoreState(_clientId, _lastSequence, pending, [.. _mappings.Values]);
        }
    }

    /// <inheritdoc/>
    public void Append(StoredMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        lock (_gate)
        {
            if (!_queue.TryAdd(mutation.Sequence, mutation))
            {
                throw new SyncStoreException($"A mutation with sequence {mutation.Sequence} is already queued.");
            }

            _lastSequence = Math.Max(_lastSequence, mutation.Sequence);
        }
    }

    /// <inheritdoc/>
    public void Update(StoredMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        lock (_gate)
        {
            if (_queue.ContainsKey(mutation.Sequence))
            {
                _queue[mutation.Sequence] = mutation;
            }
        }
    }

    /// <inheritdoc/>
    public void Remove(IReadOnlyCollection<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        lock (_gate)
        {
            foreach (long sequence in sequences)
            {
                _queue.Remove(sequence);
            }
        }
    }

    /// <inheritdoc/>
    public void Complete(long sequence, IdMapping? mapping)
    {
        lock (_gate)
        {
            _queue.Remove(sequence);
            if (mapping is not null)
            {
                AddMappingLocked(mapping);
            }
        }
    }

    /// <inheritdoc/>
    public void Complete(IReadOnlyList<CompletedMutation> completed, IReadOnlyList<StoredMutation> updated, IReadOnlyList<FeedCheckpointWrite> keptRows)
    {
        ArgumentNullException.ThrowIfNull(completed);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(keptRows);
        lock (_gate)
        {
            foreach (CompletedMutation mutation in completed)
            {
                _queue.Remove(mutation.Sequence);
                if (mutation.Mapping is not null)
                {
                    AddMappingLocked(mutation.Mapping);
                }
            }

            foreach (StoredMutation mutation in updated)
            {
                if (_queue.ContainsKey(mutation.Sequence))
                {
                    _queue[mutation.Sequence] = mutation;
                }
            }

            foreach (FeedCheckpointWrite write in keptRows)
            {
                WriteFeedCheckpointLocked(write);
            }
        }
    }

    /// <inheritdoc/>
    public void AddMapping(IdMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        lock (_gate)
        {
            AddMappingLocked(mapping);
        }
    }

    /// <inheritdoc/>
    public long NextOptimisticCounter(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            long next = _counters.GetValueOrDefault(resource) + 1;
            _counters[resource] = next;
            return next;
        }
    }

    /// <inheritdoc/>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
        }
    }

    /// <inheritdoc/>
    public FeedCheckpoint? LoadFeedCheckpoint(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            return _feeds.TryGetValue(resource, out FeedRows? feed) && feed.Sequence is long sequence
                ? new FeedCheckpoint(sequence, feed.Contract, feed.Rows.Values.ToArray())
                : null;
        }
    }

    /// <inheritdoc/>
    public void WriteFeedCheckpoint(FeedCheckpointWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            WriteFeedCheckpointLocked(write);
        }
    }

    private void WriteFeedCheckpointLocked(FeedCheckpointWrite write)
    {
        if (!_feeds.TryGetValue(write.Resource, out FeedRows? feed))
        {
            _feeds[write.Resource] = feed = new FeedRows();
        }

        if (write.Reset)
        {
            feed.Rows.Clear();
        }

        foreach (string key in write.RemovedKeys)
        {
            feed.Rows.Remove(key);
        }

        foreach (ListItem row in write.Rows)
        {
            // The store keeps its own copy: the caller may reuse the buffer.
            feed.Rows[row.Key] = row with { Data = row.Data.ToArray() };
        }

        feed.Sequence = write.Sequence;
        feed.Contract = write.Contract;
    }

    // The first mapping of an optimistic key wins: the push answer and the feed event (S3, S15)
    // carry the same mapping, and whichever arrives second is a no-op.
    private void AddMappingLocked(IdMapping mapping)
    {
        _mappings.TryAdd((mapping.Resource, mapping.OptimisticKey), mapping);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class FeedRows
    {
        public SortedDictionary<string, ListItem> Rows { get; } = new(StringComparer.Ordinal);

        public long? Sequence { get; set; }

        public string Contract { get; set; } = "";
    }
}
