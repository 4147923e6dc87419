namespace OfflineSync;

/// <summary>
/// A mutation failed permanently (S9, F1–F3). It stays in <see cref="SyncClient.GetPending"/> until the app
/// calls <see cref="SyncClient.RetryAsync(long, CancellationToken)"/> or <see cref="SyncClient.DiscardAsync(long, CancellationToken)"/>.
/// </summary>
/// <param name="Mutation">The mutation, with status <see cref="MutationStatus.PermanentlyFailed"/>.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Error">What went wrong.</param>
public sealed record MutationFailedEventArgs(PendingMutation Mutation, FailureReason Reason, string? Error);
