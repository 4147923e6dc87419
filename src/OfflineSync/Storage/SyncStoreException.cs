namespace OfflineSync;

/// <summary>A mutation store cannot be opened, read or written. The message says what to do.</summary>
public class SyncStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SyncStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SyncStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public SyncStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
