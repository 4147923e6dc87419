namespace OfflineSync;

/// <summary>A drain stopped: the queue is empty, or its head waits for a backoff timer or a conflict answer (S8).</summary>
/// <param name="Synced">The mutations the server applied during the drain.</param>
/// <param name="Failed">The mutations that failed permanently during the drain.</param>
/// <param name="Pending">The mutations still queued.</param>
public sealed record SyncCompletedEventArgs(int Synced, int Failed, int Pending);
