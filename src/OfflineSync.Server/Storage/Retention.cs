namespace OfflineSync.Server.Storage;

/// <summary>
/// When the change log and the idempotency records are pruned (docs/protocol.md, "Feed"): by count on every
/// write transaction when <see cref="SyncServerOptions.MaxRetainedChanges"/> is set, by age at most once a
/// minute per store instance (or on every write when the retention itself is shorter).
/// </summary>
internal sealed class Retention
{
    private static readonly TimeSpan AgePruneInterval = TimeSpan.FromMinutes(1);
    private readonly SyncServerOptions _options;
    private long _lastAgePrune = long.MinValue;

    public Retention(SyncServerOptions options) => _options = options;

    /// <summary>Gets the oldest <c>created_at</c> (Unix milliseconds) a change may have at <paramref name="now"/>.</summary>
    public long AgeCutoff(long now) => now - (long)_options.ChangeRetention.TotalMilliseconds;

    /// <summary>Returns the sequence through which the count limit removes changes, or <paramref name="prunedThrough"/> when it removes none.</summary>
    public long CountCut(long head, long prunedThrough) =>
        _options.MaxRetainedChanges is long max && head - prunedThrough > max ? head - max : prunedThrough;

    /// <summary>Returns whether an age prune is due at <paramref name="now"/>, and if so counts it as done.</summary>
    public bool TakeAgePrune(long now)
    {
        long last = Volatile.Read(ref _lastAgePrune);

        // The first write of a store instance prunes (long.MinValue is "never": now - last would overflow).
        if (last != long.MinValue && now - last < (long)AgePruneInterval.TotalMilliseconds && _options.ChangeRetention >= AgePruneInterval)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _lastAgePrune, now, last) == last;
    }
}
