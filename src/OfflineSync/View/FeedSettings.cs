namespace OfflineSync;

/// <summary>What a <see cref="FeedFollower{TEntity}"/> takes from the engine: one clock and one backoff policy with the drain.</summary>
/// <param name="TimeProvider">The clock of the backoff and the timers (<see cref="SyncOptions.TimeProvider"/>).</param>
/// <param name="Retry">The backoff between failed attempts, the drain's own policy and random source (<see cref="SyncOptions.Retry"/>, S9).</param>
/// <param name="MaxListBytes">The most row data one list may bring (<see cref="SyncOptions.MaxListBytes"/>).</param>
internal sealed record FeedSettings(TimeProvider TimeProvider, RetryPolicy Retry, long MaxListBytes)
{
    /// <summary>Takes the engine's clock, retry policy and list limit, copied when the engine was built.</summary>
    public static FeedSettings From(EngineOptions options) => new(options.TimeProvider, options.Retry, options.MaxListBytes);
}
