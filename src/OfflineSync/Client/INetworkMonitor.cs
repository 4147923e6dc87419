namespace OfflineSync;

/// <summary>Tells the client whether the device is online (S8). Plug in the platform's connectivity API.</summary>
public interface INetworkMonitor
{
    /// <summary>Gets whether the device is online now.</summary>
    bool IsOnline { get; }

    /// <summary>Raised with the new state whenever it changes.</summary>
    event Action<bool>? OnlineChanged;
}
