namespace OfflineSync;

/// <summary>Provides data for <see cref="SyncClient.StatusChanged"/>: the client's <see cref="SyncClient.Status"/> changed.</summary>
public sealed class StatusChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="previous">The status before.</param>
    /// <param name="current">The status now.</param>
    public StatusChangedEventArgs(SyncStatus previous, SyncStatus current)
    {
        Previous = previous;
        Current = current;
    }

    /// <summary>Gets the status before.</summary>
    public SyncStatus Previous { get; }

    /// <summary>Gets the status now.</summary>
    public SyncStatus Current { get; }
}
