using System.Net;
using System.Net.Sockets;

namespace OfflineSync;

/// <summary>
/// Which thrown errors mean "try again later" (S9): connection errors of any exception type and
/// timeouts, thrown as they are or wrapped in another exception. The one rule for the drain, the feed
/// followers and <c>HttpSyncTransport</c>.
/// </summary>
/// <remarks>
/// An HTTP answer that refuses the request (a 4xx status other than 408 Request Timeout and 429 Too Many Requests,
/// without <c>Retry-After</c>) is not transient: the server understood the request and will refuse it again, so a
/// set shows <see cref="SyncSetStatus.Error"/> instead of waiting as if the network were down (a 403 of a row policy,
/// a 404 of a resource the server does not serve).
/// </remarks>
internal static class TransientErrors
{
    /// <summary>Returns whether <paramref name="error"/>, or an exception it wraps, is a connection error or a timeout.</summary>
    public static bool IsTransient(Exception error)
    {
        // A reset of a fresh connection surfaces as a bare SocketException; a handler may wrap any of them.
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpRequestException { StatusCode: { } status } when IsRefusal(status) && current is not RetryAfterException:
                    return false;
                case HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException:
                    return true;
                case AggregateException aggregate:
                    foreach (Exception inner in aggregate.InnerExceptions)
                    {
                        if (IsTransient(inner))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }

        return false;
    }

    private static bool IsRefusal(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 and not 408 and not 429;
}
