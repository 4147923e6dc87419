namespace OfflineSync;

/// <summary>
/// An entity cannot be synced as it is: for example its nested objects form a cycle, or nest deeper
/// than the generated reference visitor follows (OSYNC008). The message names the type and the fix.
/// </summary>
public class SyncModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SyncModelException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the model and how to fix it.</param>
    public SyncModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What is wrong with the model and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public SyncModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
