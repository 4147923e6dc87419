namespace OfflineSync;

/// <summary>The server applied a mutation and it left the queue.</summary>
/// <param name="Mutation">The mutation as it was when sent.</param>
/// <param name="ServerKey">The key the server stored.</param>
/// <param name="Version">The row's new version, or <see langword="null"/> after a delete.</param>
public sealed record MutationSyncedEventArgs(PendingMutation Mutation, string ServerKey, string? Version);
