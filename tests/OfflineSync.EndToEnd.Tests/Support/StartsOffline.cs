namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// A network that is down when the client starts: a client restarted offline must not push or follow before the test
/// says so (<c>SetOnline(false)</c> after the constructor is too late: the restored queue may already be on its way).
/// </summary>
internal sealed class StartsOffline : INetworkMonitor
{
    public bool IsOnline => false;

    public event Action<bool>? OnlineChanged
    {
        add { }
        remove { }
    }
}
