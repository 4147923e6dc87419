namespace OfflineSync;

/// <summary>What a <see cref="FeedFollower{TEntity}"/> takes from the engine: one clock and one backoff policy with the drain.</summary>
/// <param name="TimeProvider">The clock of the backoff and the timers (<see cref="SyncOptions.TimeProvider"/>).</param>
/// <param name="Retry">The backoff between failed attempts, the drain's own policy and random source (<see cref="SyncOptions.Retry"/>, S9).</param>
/// <param name="MaxListBytes">The most row data one list may bring (<see cref="SyncOptions.MaxListBytes"/>).</param>
internal sealed record FeedSettings(TimeProvider TimeProvider, RetryPolicy Retry, long MaxListBytes)
{
    /// <summary>Gets the engine's signal of new credentials: a feed the server refused (401) waits for it, not for a backoff timer.</summary>
    public CredentialsSignal Credentials { get; init; } = new();

    /// <summary>
    /// Gets what the follower calls when the server refused the credentials, with the server's words and the
    /// <see cref="CredentialsSignal.Version"/> read before the request: the engine shows <see cref="SyncStatus.Unauthorized"/>
    /// unless the credentials were renewed since.
    /// </summary>
    public Action<string, long>? Unauthorized { get; init; }

    /// <summary>
    /// Gets the gate of every write of kept rows (S15), the engine's: it holds it while it records a push answer with the
    /// rows the answer left and applies the answer to the views, so no feed write lands between with an older state.
    /// </summary>
    public Lock KeptRowsGate { get; init; } = new();

    /// <summary>Takes the engine's clock, retry policy and list limit, copied when the engine was built.</summary>
    public static FeedSettings From(EngineOptions options) => new(options.TimeProvider, options.Retry, options.MaxListBytes);
}
