namespace OfflineSync.Tests.Engine;

/// <summary>An <see cref="INetworkMonitor"/> the test switches by hand.</summary>
internal sealed class FakeNetworkMonitor(bool online) : INetworkMonitor
{
    public event Action<bool>? OnlineChanged;

    public bool IsOnline { get; private set; } = online;

    public void Set(bool value)
    {
        IsOnline = value;
        OnlineChanged?.Invoke(value);
    }
}
