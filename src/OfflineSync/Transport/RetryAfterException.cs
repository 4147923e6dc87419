using System.Net;

namespace OfflineSync;

/// <summary>
/// A list or feed request the server refused for now and said when to come back (<c>Retry-After</c>, as a server at
/// its feed limit answers 503). Transient, whatever its status (<see cref="TransientErrors"/>); the feed follower waits the
/// delay asked for, up to <see cref="SyncRetryOptions.MaxDelay"/>, instead of its own backoff.
/// </summary>
internal sealed class RetryAfterException(string message, HttpStatusCode status, TimeSpan retryAfter)
    : HttpRequestException(message, null, status)
{
    /// <summary>Gets the delay the server asked for.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>Returns the delay <paramref name="error"/>, or an exception it wraps, asks for.</summary>
    public static TimeSpan? Find(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is RetryAfterException refused)
            {
                return refused.RetryAfter;
            }
        }

        return null;
    }
}
