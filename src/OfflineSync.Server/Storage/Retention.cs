namespace OfflineSync.Server.Storage;

/// <summary>
/// When the change log and the idempotency records are pruned (docs/protocol.md, "Feed"): by count and by size on
/// every write transaction when <see cref="SyncServerOptions.MaxRetainedChanges"/> or
/// <see cref="SyncServerOptions.MaxRetainedChangeBytes"/> is set, by age at most once a minute per store instance (or on
/// every write when the retention itself is shorter). Each store cuts the log at the highest sequence any rule asks for
/// and raises the prune point of each resource whose entries it removed.
/// </summary>
internal sealed class Retention
{
    private static readonly TimeSpan AgePruneInterval = TimeSpan.FromMinutes(1);
    private readonly SyncServerOptions _options;
    private long _lastAgePrune = long.MinValue;

    public Retention(SyncServerOptions options) => _options = options;

    /// <summary>Gets the largest number of entries the log keeps, or <see langword="null"/>.</summary>
    public long? MaxChanges => _options.MaxRetainedChanges;

    /// <summary>Gets the largest sum of the entries' weights (<see cref="ChangeLog.Weight"/>) the log keeps, or <see langword="null"/>.</summary>
    public long? MaxBytes => _options.MaxRetainedChangeBytes;

    /// <summary>Gets the oldest <c>created_at</c> (Unix milliseconds) a change may have at <paramref name="now"/>.</summary>
    public long AgeCutoff(long now) => now - (long)_options.ChangeRetention.TotalMilliseconds;

    /// <summary>Returns how many of the oldest entries the count limit removes from a log of <paramref name="entries"/>.</summary>
    public long ExcessChanges(long entries) => MaxChanges is long max && entries > max ? entries - max : 0;

    /// <summary>Returns how many bytes of the oldest entries the size limit removes from a log weighing <paramref name="bytes"/>.</summary>
    public long ExcessBytes(long bytes) => MaxBytes is long max && bytes > max ? bytes - max : 0;

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
