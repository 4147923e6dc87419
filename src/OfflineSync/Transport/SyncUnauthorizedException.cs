namespace OfflineSync;

/// <summary>
/// The server refused the client's credentials (HTTP 401), or the app's token provider could not supply any, and a
/// refresh did not help. A transport throws it from <see cref="ISyncTransport.ListAsync"/> and
/// <see cref="ISyncTransport.FollowAsync"/> (a push answers <see cref="PushResult.Unauthorized"/> instead, or throws it):
/// the client then waits with <see cref="SyncStatus.Unauthorized"/> until the app signals new credentials, and loses
/// nothing meanwhile.
/// </summary>
public sealed class SyncUnauthorizedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SyncUnauthorizedException()
        : base("The server refused the client's credentials.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What the server or the token provider said.</param>
    public SyncUnauthorizedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it, for example the token provider's.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The error behind it.</param>
    public SyncUnauthorizedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Returns the refusal <paramref name="error"/> is, or wraps, or <see langword="null"/>.</summary>
    internal static SyncUnauthorizedException? Find(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is SyncUnauthorizedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
