using System.Net.Sockets;

namespace OfflineSync;

/// <summary>
/// Which thrown errors mean "try again later" (S9): connection errors of any exception type and
/// timeouts, thrown as they are or wrapped in another exception. The one rule for the drain, the feed
/// followers and <c>HttpSyncTransport</c>.
/// </summary>
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
}
