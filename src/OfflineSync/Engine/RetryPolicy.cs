namespace OfflineSync;

/// <summary>
/// The engine's backoff (S9, S11): a private copy of <see cref="SyncRetryOptions"/> and the one random source of the
/// jitter, which tests can replace (<see cref="SyncOptions.RandomSource"/>). The drain waits it out after a transient
/// failure, a re-send after repeated conflicts waits it too, and the feed followers wait it between
/// failed connections.
/// </summary>
internal sealed class RetryPolicy
{
    private readonly SyncRetryOptions _settings;
    private readonly Func<double> _random;

    public RetryPolicy(SyncRetryOptions settings, Func<double> random)
    {
        _settings = new SyncRetryOptions
        {
            BaseDelay = settings.BaseDelay,
            BackoffFactor = settings.BackoffFactor,
            MaxDelay = settings.MaxDelay,
            JitterRatio = settings.JitterRatio,
            OfflineAfterFailures = settings.OfflineAfterFailures,
        };
        _random = random;
    }

    /// <summary>Gets the longest delay, and the cap of a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxDelay => _settings.MaxDelay;

    /// <summary>Gets how many consecutive transient failures make the client show <see cref="SyncStatus.Offline"/>.</summary>
    public int OfflineAfterFailures => _settings.OfflineAfterFailures;

    /// <summary>Gets the delay after the <paramref name="failedAttempts"/>-th failed attempt (1, 2, …), or the server's <c>Retry-After</c> up to the cap.</summary>
    public TimeSpan Delay(int failedAttempts, TimeSpan? retryAfter) => Backoff.Delay(_settings, failedAttempts, retryAfter, _random());
}
