namespace OfflineSync;

/// <summary>What a <see cref="FeedFollower{TEntity}"/> takes from the client's options: one clock and one backoff rule with the drain.</summary>
/// <param name="TimeProvider">The clock of the backoff and the timers (<see cref="SyncOptions.TimeProvider"/>).</param>
/// <param name="Retry">The backoff between failed attempts, the drain's own (<see cref="SyncOptions.Retry"/>, S9).</param>
/// <param name="Jitter">The random source of the backoff's jitter, a number in [0, 1), the drain's own.</param>
/// <param name="MaxListBytes">The most row data one list may bring (<see cref="SyncOptions.MaxListBytes"/>).</param>
internal sealed record FeedSettings(TimeProvider TimeProvider, SyncRetryOptions Retry, Func<double> Jitter, long MaxListBytes)
{
    /// <summary>Takes the settings of <paramref name="options"/>; the jitter is <see cref="Random.Shared"/>, as the drain's.</summary>
    public static FeedSettings From(SyncOptions options) =>
        new(options.TimeProvider, options.Retry, Random.Shared.NextDouble, options.MaxListBytes);
}
