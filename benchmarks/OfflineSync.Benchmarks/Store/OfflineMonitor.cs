namespace OfflineSync.Benchmarks.Store;

/// <summary>A network that is down: the client starts no feed and no drain, so only its own start is measured.</summary>
internal sealed class OfflineMonitor : INetworkMonitor
{
    public bool IsOnline => false;

    public event Action<bool>? OnlineChanged
    {
        add { }
        remove { }
    }
}
