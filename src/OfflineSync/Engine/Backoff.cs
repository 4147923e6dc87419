namespace OfflineSync;

/// <summary>The retry delay curve of <see cref="SyncRetryOptions"/> (S9).</summary>
internal static class Backoff
{
    /// <summary>Gets the delay after the <paramref name="failedAttempts"/>-th failed attempt (1, 2, …).</summary>
    public static TimeSpan Delay(SyncRetryOptions options, int failedAttempts, TimeSpan? retryAfter, double random)
    {
        if (retryAfter is { } serverAsked && serverAsked >= TimeSpan.Zero)
        {
            // Capped: a server (or anything between) that asks for years must not stop the queue.
            return serverAsked < options.MaxDelay ? serverAsked : options.MaxDelay;
        }

        double exponent = Math.Max(0, failedAttempts - 1);
        double ticks = Math.Min(options.MaxDelay.Ticks, options.BaseDelay.Ticks * Math.Pow(options.BackoffFactor, exponent));
        ticks *= 1 - (options.JitterRatio * random);
        return TimeSpan.FromTicks((long)ticks);
    }
}
