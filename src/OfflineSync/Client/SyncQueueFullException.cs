namespace OfflineSync;

/// <summary>
/// A mutation was refused because the queue holds <see cref="SyncOptions.MaxQueueSize"/> mutations and
/// the policy is <see cref="QueueFullPolicy.Reject"/> (S7). Nothing was changed: sync, or raise the limit.
/// </summary>
public sealed class SyncQueueFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SyncQueueFullException()
        : this(0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SyncQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public SyncQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a queue of <paramref name="maxQueueSize"/> mutations.</summary>
    public SyncQueueFullException(int maxQueueSize)
        : base($"The sync queue is full ({maxQueueSize} mutations, SyncOptions.MaxQueueSize). Nothing was changed; sync the pending mutations, raise MaxQueueSize, or use QueueFullPolicy.DropOldest.")
    {
        MaxQueueSize = maxQueueSize;
    }

    /// <summary>Gets the queue limit that was reached.</summary>
    public int MaxQueueSize { get; }
}
