namespace OfflineSync;

/// <summary>The server confirmed a created item under another key (S3). Raised once per mapping, never when the keys are equal.</summary>
/// <param name="Resource">The resource name.</param>
/// <param name="OptimisticId">The key the client made.</param>
/// <param name="ServerId">The key the server assigned.</param>
public sealed record IdRemappedEventArgs(string Resource, string OptimisticId, string ServerId);
