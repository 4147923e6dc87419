namespace OfflineSync.Sqlite.Tests;

/// <summary>What a store throws where the process would have died.</summary>
internal sealed class SimulatedCrashException : Exception;

/// <summary>
/// Passes writes to a <see cref="Durability.Full"/> store file until the <c>crashAt</c>-th, which never reaches it; after
/// that the process is "dead": every later write throws too. Each call is one write, as each is one transaction of the file.
/// </summary>
/// <remarks>
/// With <c>keepsFeed</c> the kept rows are read and written (and counted) as well; without, the store keeps none, so the
/// feeds' writes, made on their own threads, cannot move the crash points.
/// </remarks>
internal sealed class CrashingStore(SqliteMutationStore inner, int crashAt, bool keepsFeed = false) : IMutationStore
{
    public int Writes { get; private set; }

    public StoreState Load() => inner.Load();

    public void Append(StoredMutation mutation) => Write(() => inner.Append(mutation));

    public void Update(StoredMutation mutation) => Write(() => inner.Update(mutation));

    public void Remove(IReadOnlyCollection<long> sequences) => Write(() => inner.Remove(sequences));

    public void Complete(long sequence, IdMapping? mapping) => Write(() => inner.Complete(sequence, mapping));

    public void Complete(IReadOnlyList<CompletedMutation> completed, IReadOnlyList<StoredMutation> updated, IReadOnlyList<FeedCheckpointWrite> keptRows) =>
        Write(() => inner.Complete(completed, updated, keptRows));

    public void AddMapping(IdMapping mapping) => Write(() => inner.AddMapping(mapping));

    public long NextOptimisticCounter(string resource)
    {
        long next = 0;
        Write(() => next = inner.NextOptimisticCounter(resource));
        return next;
    }

    public void Clear() => Write(inner.Clear);

    public FeedCheckpoint? LoadFeedCheckpoint(string resource) => keepsFeed ? inner.LoadFeedCheckpoint(resource) : null;

    public void WriteFeedCheckpoint(FeedCheckpointWrite write)
    {
        if (keepsFeed)
        {
            Write(() => inner.WriteFeedCheckpoint(write));
        }
    }

    // Full durability: closing writes nothing, so the file stays as the crash left it.
    public void Dispose() => inner.Dispose();

    private void Write(Action write)
    {
        if (++Writes >= crashAt)
        {
            throw new SimulatedCrashException();
        }

        write();
    }
}
