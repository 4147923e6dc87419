namespace OfflineSync;

/// <summary>
/// The backoff after transient failures (S9): the n-th retry waits
/// <c>min(MaxDelay, BaseDelay × BackoffFactor^(n-1))</c>, less up to <see cref="JitterRatio"/> of it at random,
/// or the server's <c>Retry-After</c> when it sent one, up to <see cref="MaxDelay"/>.
/// </summary>
public sealed class SyncRetryOptions
{
    /// <summary>Gets or sets the delay before the first retry.</summary>
    /// <value>The default is 1 second. Greater than zero.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the factor each further retry multiplies the delay by.</summary>
    /// <value>The default is 2. At least 1.</value>
    public double BackoffFactor { get; set; } = 2;

    /// <summary>Gets or sets the longest delay between attempts: the cap of the curve and of a server's <c>Retry-After</c>.</summary>
    /// <value>The default is 60 seconds. At least <see cref="BaseDelay"/>.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the largest fraction of a delay removed at random, so that many clients that failed
    /// together do not retry together. 0 turns jitter off.
    /// </summary>
    /// <value>The default is 0.2. Between 0 and 1.</value>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>Gets or sets how many consecutive transient failures make <see cref="SyncClient.Status"/> show <see cref="SyncStatus.Offline"/>.</summary>
    /// <value>The default is 3. At least 1.</value>
    public int OfflineAfterFailures { get; set; } = 3;

    internal void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SyncOptions.Retry.BaseDelay must be greater than zero but is {BaseDelay}.", "options");
        }

        if (!(BackoffFactor >= 1) || double.IsInfinity(BackoffFactor))
        {
            throw new ArgumentException($"SyncOptions.Retry.BackoffFactor must be a finite number of at least 1 but is {BackoffFactor}.", "options");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"SyncOptions.Retry.MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay}).", "options");
        }

        if (!(JitterRatio >= 0 && JitterRatio <= 1))
        {
            throw new ArgumentException($"SyncOptions.Retry.JitterRatio must be between 0 and 1 but is {JitterRatio}.", "options");
        }

        if (OfflineAfterFailures < 1)
        {
            throw new ArgumentException($"SyncOptions.Retry.OfflineAfterFailures must be at least 1 but is {OfflineAfterFailures}.", "options");
        }
    }
}
