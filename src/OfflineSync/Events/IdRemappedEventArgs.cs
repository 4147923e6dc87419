using System.ComponentModel;

namespace OfflineSync;

/// <summary>
/// Provides data for <see cref="SyncClient.IdRemapped"/>: the server confirmed a created item under another key (S3).
/// Raised once per mapping, never when the keys are equal.
/// </summary>
/// <remarks>
/// Carries both keys: <see cref="OptimisticKey"/>, the key the app created the item with (and the key every object the
/// app still holds keeps), and <see cref="ServerKey"/>, the key the view's item and the ID map use from now on.
/// </remarks>
public sealed class IdRemappedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="resource">The resource name.</param>
    /// <param name="optimisticKey">The key the client made.</param>
    /// <param name="serverKey">The key the server assigned.</param>
    public IdRemappedEventArgs(string resource, string optimisticKey, string serverKey)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(optimisticKey);
        ArgumentNullException.ThrowIfNull(serverKey);
        Resource = resource;
        OptimisticKey = optimisticKey;
        ServerKey = serverKey;
    }

    /// <summary>Gets the resource name.</summary>
    public string Resource { get; }

    /// <summary>Gets the key the client made when it created the item.</summary>
    public string OptimisticKey { get; }

    /// <summary>Gets the key the server assigned.</summary>
    public string ServerKey { get; }

    /// <summary>Gets the key the client made. Renamed <see cref="OptimisticKey"/>.</summary>
    [Obsolete("Use OptimisticKey.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string OptimisticId => OptimisticKey;

    /// <summary>Gets the key the server assigned. Renamed <see cref="ServerKey"/>.</summary>
    [Obsolete("Use ServerKey.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string ServerId => ServerKey;
}
