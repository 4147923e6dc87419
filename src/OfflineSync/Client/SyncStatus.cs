namespace OfflineSync;

/// <summary>What the client is doing (S8).</summary>
public enum SyncStatus
{
    /// <summary>Online and nothing is being sent.</summary>
    Idle,

    /// <summary>Pushing mutations.</summary>
    Syncing,

    /// <summary>Waiting for a backoff timer after a transient failure.</summary>
    WaitingToRetry,

    /// <summary>Offline, either by <see cref="SyncClient.SetOnline(bool)"/>/<see cref="INetworkMonitor"/> or after repeated transient failures.</summary>
    Offline,
}
