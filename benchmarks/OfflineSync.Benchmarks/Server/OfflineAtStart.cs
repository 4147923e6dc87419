namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// Starts a client offline, so it queues without touching the server and follows no feed until
/// <see cref="SyncClient.SetOnline(bool)"/> brings it online: the reconnect that a drain starts with.
/// </summary>
internal sealed class OfflineAtStart : INetworkMonitor
{
    public bool IsOnline => false;

    // The state never changes by itself; SetOnline does the rest.
    public event Action<bool>? OnlineChanged
    {
        add { }
        remove { }
    }
}
