using System.Diagnostics;

namespace OfflineSync.Benchmarks.Store;

/// <summary>
/// Passes every call on to a real store and adds up the time spent in it, so a drain benchmark can say
/// how much of its time is the client's store writes (confirmations, status updates, feed checkpoints).
/// </summary>
internal sealed class TimedStore(IMutationStore inner) : IMutationStore
{
    private long _ticks;
    private long _calls;
    private long _feedTicks;

    /// <summary>Gets the time spent inside the queue's calls (on the drain's path) since the last <see cref="Reset"/>.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    /// <summary>Gets the number of queue calls since the last <see cref="Reset"/>.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Gets the time spent writing feed checkpoints, on the feeds' threads, beside the drain.</summary>
    public TimeSpan FeedElapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _feedTicks));

    public void Reset()
    {
        Interlocked.Exchange(ref _ticks, 0);
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _feedTicks, 0);
    }

    public StoreState Load() => inner.Load();

    public void Append(StoredMutation mutation) => Time(inner.Append, mutation);

    public void Update(StoredMutation mutation) => Time(inner.Update, mutation);

    public void Remove(IReadOnlyCollection<long> sequences) => Time(inner.Remove, sequences);

    public void Complete(long sequence, IdMapping? mapping) => Time(static s => s.inner.Complete(s.sequence, s.mapping), (inner, sequence, mapping));

    public void AddMapping(IdMapping mapping) => Time(inner.AddMapping, mapping);

    public long NextOptimisticCounter(string resource) => inner.NextOptimisticCounter(resource);

    public void Clear() => inner.Clear();

    public FeedCheckpoint? LoadFeedCheckpoint(string resource) => inner.LoadFeedCheckpoint(resource);

    public void WriteFeedCheckpoint(FeedCheckpointWrite write)
    {
        long start = Stopwatch.GetTimestamp();
        inner.WriteFeedCheckpoint(write);
        Interlocked.Add(ref _feedTicks, Stopwatch.GetTimestamp() - start);
    }

    public void Dispose() => inner.Dispose();

    private void Time<T>(Action<T> call, T argument)
    {
        long start = Stopwatch.GetTimestamp();
        call(argument);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _calls);
    }
}
