namespace OfflineSync;

/// <summary>A confirmed mapping from an optimistic (or proposed) key to the key the server assigned.</summary>
/// <param name="Resource">The resource name; mappings are per resource.</param>
/// <param name="OptimisticKey">The key the client made.</param>
/// <param name="ServerKey">The key the server assigned.</param>
public sealed record IdMapping(string Resource, string OptimisticKey, string ServerKey);
