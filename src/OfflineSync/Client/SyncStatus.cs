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

    /// <summary>
    /// The server refused the client's credentials (HTTP 401), also after one refresh. Nothing is pushed or followed and
    /// nothing in the queue fails or loses an attempt, until the app calls <see cref="SyncClient.NotifyCredentialsChanged"/>
    /// (or <see cref="SyncClient.RetryNow"/>), the client comes online again, or it restarts.
    /// </summary>
    Unauthorized,
}
