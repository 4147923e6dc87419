namespace OfflineSync;

/// <summary>A snapshot of one queued mutation, as <see cref="SyncClient.GetPending"/> and the mutation events show it.</summary>
/// <param name="Id">The mutation id (its client sequence); pass it to <see cref="SyncClient.RetryAsync(long, CancellationToken)"/> or <see cref="SyncClient.DiscardAsync(long, CancellationToken)"/>.</param>
/// <param name="Resource">The resource name.</param>
/// <param name="Kind">The kind of mutation.</param>
/// <param name="Key">The entity key, resolved to the server key when the create was confirmed.</param>
/// <param name="Status">The status.</param>
/// <param name="Attempts">The attempts made so far.</param>
/// <param name="LastError">The error of the last failed attempt.</param>
/// <param name="FailureReason">Why it failed permanently, when <paramref name="Status"/> is <see cref="MutationStatus.PermanentlyFailed"/>.</param>
/// <param name="EnqueuedAt">When it was queued.</param>
public sealed record PendingMutation(
    long Id,
    string Resource,
    MutationKind Kind,
    string Key,
    MutationStatus Status,
    int Attempts,
    string? LastError,
    FailureReason? FailureReason,
    DateTimeOffset EnqueuedAt);
