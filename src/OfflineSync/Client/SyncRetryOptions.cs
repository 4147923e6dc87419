using System.ComponentModel.DataAnnotations;

namespace OfflineSync;

/// <summary>
/// The backoff after transient failures (S9): the n-th retry waits
/// <c>min(MaxDelay, BaseDelay × BackoffFactor^(n-1))</c>, less up to <see cref="JitterRatio"/> of it at random,
/// or the server's <c>Retry-After</c> when it sent one, up to <see cref="MaxDelay"/>.
/// </summary>
public sealed class SyncRetryOptions : IValidatableObject
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
    [Range(0.0, 1.0)]
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>Gets or sets how many consecutive transient failures make <see cref="SyncClient.Status"/> show <see cref="SyncStatus.Offline"/>.</summary>
    /// <value>The default is 3. At least 1.</value>
    [Range(1, int.MaxValue)]
    public int OfflineAfterFailures { get; set; } = 3;

    /// <summary>The rules on durations and between settings, which data annotations do not express: the generated validator calls it.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (BaseDelay <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"SyncOptions.Retry.BaseDelay must be greater than zero but is {BaseDelay}.", [nameof(BaseDelay)]);
        }

        if (!(BackoffFactor >= 1) || double.IsInfinity(BackoffFactor))
        {
            yield return new ValidationResult($"SyncOptions.Retry.BackoffFactor must be a finite number of at least 1 but is {BackoffFactor}.", [nameof(BackoffFactor)]);
        }

        if (MaxDelay < BaseDelay)
        {
            yield return new ValidationResult($"SyncOptions.Retry.MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay}).", [nameof(MaxDelay)]);
        }
    }
}
