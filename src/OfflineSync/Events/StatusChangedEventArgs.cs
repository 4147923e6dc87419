namespace OfflineSync;

/// <summary>The client's <see cref="SyncClient.Status"/> changed.</summary>
/// <param name="Previous">The status before.</param>
/// <param name="Current">The status now.</param>
public sealed record StatusChangedEventArgs(SyncStatus Previous, SyncStatus Current);
