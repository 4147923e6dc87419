namespace OfflineSync;

/// <summary>
/// Provides data for <see cref="SyncClient.SyncCompleted"/>: a drain stopped, because the queue is empty or its head waits
/// for a backoff timer or a conflict answer (S8).
/// </summary>
public sealed class SyncCompletedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="synced">The mutations the server applied during the drain.</param>
    /// <param name="failed">The mutations that failed permanently during the drain.</param>
    /// <param name="pending">The mutations still queued.</param>
    public SyncCompletedEventArgs(int synced, int failed, int pending)
    {
        Synced = synced;
        Failed = failed;
        Pending = pending;
    }

    /// <summary>Gets the number of mutations the server applied during the drain.</summary>
    public int Synced { get; }

    /// <summary>Gets the number of mutations that failed permanently during the drain.</summary>
    public int Failed { get; }

    /// <summary>Gets the number of mutations still queued.</summary>
    public int Pending { get; }
}
