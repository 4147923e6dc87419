namespace OfflineSync;

/// <summary>
/// Persists the mutation queue, the ID map, the client sequence and the optimistic-key counters, and keeps a copy
/// of each resource's server rows with the feed position they are consistent with (<see cref="FeedCheckpoint"/>).
/// </summary>
/// <remarks>
/// Methods are synchronous on purpose: <c>Create</c>/<c>Update</c>/<c>Delete</c> return only after the
/// enqueue is durable (S4), and a local embedded database answers without a thread hop. The engine
/// calls the queue members from one thread at a time; the feed's <see cref="WriteFeedCheckpoint"/> may run
/// beside them. Implementations: <see cref="InMemoryMutationStore"/>
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

    /// <summary>
    /// Records the server's answer to one push in one transaction (S3, S4, S10): removes every confirmed mutation, records
    /// the mappings their creates produced, replaces the stored mutations the answer changed (the base version the next
    /// edit of a confirmed object takes) and applies <paramref name="keptRows"/> to the rows kept for the next start
    /// (the rows the client's own confirmed writes left, <see cref="WriteFeedCheckpoint"/>). A crash keeps all of it or
    /// none of it.
    /// </summary>
    /// <param name="completed">The confirmed mutations, in queue order.</param>
    /// <param name="updated">Mutations still queued whose stored form the answer changed; unknown sequences are ignored.</param>
    /// <param name="keptRows">Changes to the kept rows of the resources the answer touched, each keeping the position the store holds; often none.</param>
    /// <remarks>
    /// <para>
    /// All or nothing matters twice. A batch may hold a create and later mutations that name its optimistic key, which
    /// the server resolves within that batch. If only the create were recorded, a restarted client would send the later
    /// mutations with the server key, under the idempotency keys their first request went with, and the server refuses
    /// a key repeated with another request; restored all or nothing, the client repeats the batch exactly (answered
    /// from the server's idempotency store) or goes on after it. And a confirmed mutation recorded without the row it
    /// left would show the row after a restart as it was before the client's own write, and the next edit would be
    /// based on that older version: a conflict with itself, which <see cref="ConflictStrategy.ServerWins"/> drops.
    /// </para>
    /// <para>
    /// The default calls <see cref="Complete(long, IdMapping?)"/>, <see cref="Update"/> and <see cref="WriteFeedCheckpoint"/>
    /// one by one, which is not atomic: a store that can run them in one transaction should override it, as
    /// <see cref="InMemoryMutationStore"/> and <c>SqliteMutationStore</c> do.
    /// </para>
    /// </remarks>
    void Complete(IReadOnlyList<CompletedMutation> completed, IReadOnlyList<StoredMutation> updated, IReadOnlyList<FeedCheckpointWrite> keptRows)
    {
        ArgumentNullException.ThrowIfNull(completed);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(keptRows);
        foreach (CompletedMutation mutation in completed)
        {
            Complete(mutation.Sequence, mutation.Mapping);
        }

        foreach (StoredMutation mutation in updated)
        {
            Update(mutation);
        }

        foreach (FeedCheckpointWrite write in keptRows)
        {
            WriteFeedCheckpoint(write);
        }
    }

    /// <summary>Records a mapping learned from the change feed (S3, S15).</summary>
    /// <remarks>
    /// Here and in both <c>Complete</c> methods, the first mapping of a (resource, optimistic key) wins: a
    /// later one for the same key is ignored, because the push answer and the feed event carry the same mapping.
    /// </remarks>
    void AddMapping(IdMapping mapping);

    /// <summary>Returns the next value (1, 2, 3, …) of the optimistic-key counter of <paramref name="resource"/>, durably.</summary>
    long NextOptimisticCounter(string resource);

    /// <summary>Removes every queued mutation; keeps the ID map, the counters, the last sequence and the feed checkpoints.</summary>
    void Clear();

    /// <summary>
    /// Loads the server rows kept for <paramref name="resource"/> and the feed position they are consistent with (S15);
    /// called once per resource, when the engine starts.
    /// </summary>
    /// <param name="resource">The resource name.</param>
    /// <returns>The checkpoint, or <see langword="null"/> when the store keeps none: the set then lists the resource.</returns>
    /// <remarks>The default keeps nothing, so a store that does not implement checkpoints makes every set list again after a restart.</remarks>
    /// <exception cref="SyncStoreException">The store cannot be read.</exception>
    FeedCheckpoint? LoadFeedCheckpoint(string resource) => null;

    /// <summary>Applies one change to the rows kept for a resource, in one transaction (S15).</summary>
    /// <param name="write">The change.</param>
    /// <remarks>
    /// <para>
    /// Called from a set's feed loop, so possibly at the same time as the queue members above (unlike them):
    /// an implementation must be thread-safe. Writes of one resource come in order, from one thread at a time.
    /// A checkpoint is a cache: losing the last writes (a crash) only makes the set replay more of the feed.
    /// </para>
    /// <para>The default does nothing.</para>
    /// </remarks>
    /// <exception cref="SyncStoreException">The write failed; nothing of it was stored.</exception>
    void WriteFeedCheckpoint(FeedCheckpointWrite write)
    {
    }
}
