namespace OfflineSync;

/// <summary>
/// Persists the mutation queue, the ID map, the client sequence and the optimistic-key counters.
/// </summary>
/// <remarks>
/// Methods are synchronous on purpose: <c>Create</c>/<c>Update</c>/<c>Delete</c> return only after the
/// enqueue is durable (S4), and a local embedded database answers without a thread hop. The engine
/// calls a store from one thread at a time. Implementations: <see cref="InMemoryMutationStore"/>
/// (loses everything when the process exits) and <c>SqliteMutationStore</c> (OfflineSync.Sqlite).
/// </remarks>
public interface IMutationStore : IDisposable
{
    /// <summary>Loads everything the store holds; called once, when the engine starts.</summary>
    /// <exception cref="SyncStoreException">The store cannot be read.</exception>
    StoreState Load();

    /// <summary>Appends a mutation at the tail of the queue and records its sequence as the last one used.</summary>
    void Append(StoredMutation mutation);

    /// <summary>Replaces the stored mutation with the same <see cref="StoredMutation.Sequence"/> (status, attempts, coalesced payload).</summary>
    void Update(StoredMutation mutation);

    /// <summary>Removes mutations from the queue; unknown sequences are ignored.</summary>
    void Remove(IReadOnlyCollection<long> sequences);

    /// <summary>
    /// Removes a confirmed mutation and, in the same transaction, records the mapping its create
    /// produced (S3), so that a crash never leaves one without the other.
    /// </summary>
    /// <param name="sequence">The confirmed mutation.</param>
    /// <param name="mapping">The mapping to record, or <see langword="null"/> when the keys are equal.</param>
    void Complete(long sequence, IdMapping? mapping);

    /// <summary>Records a mapping learned from the change feed (S3, S15).</summary>
    /// <remarks>
    /// Here and in <see cref="Complete"/>, the first mapping of a (resource, optimistic key) wins: a
    /// later one for the same key is ignored, because the push answer and the feed event carry the same mapping.
    /// </remarks>
    void AddMapping(IdMapping mapping);

    /// <summary>Returns the next value (1, 2, 3, …) of the optimistic-key counter of <paramref name="resource"/>, durably.</summary>
    long NextOptimisticCounter(string resource);

    /// <summary>Removes every queued mutation; keeps the ID map, the counters and the last sequence.</summary>
    void Clear();
}
