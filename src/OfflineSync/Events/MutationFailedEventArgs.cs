namespace OfflineSync;

/// <summary>
/// Provides data for <see cref="SyncClient.MutationFailed"/>: a mutation failed permanently (S9, F1–F3). It stays in
/// <see cref="SyncClient.GetPending"/> until the app calls <see cref="SyncClient.RetryAsync(long, CancellationToken)"/>
/// or <see cref="SyncClient.DiscardAsync(long, CancellationToken)"/>.
/// </summary>
public sealed class MutationFailedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="mutation">The mutation, with status <see cref="MutationStatus.PermanentlyFailed"/>.</param>
    /// <param name="reason">Why it failed.</param>
    /// <param name="error">What went wrong.</param>
    public MutationFailedEventArgs(PendingMutation mutation, FailureReason reason, string? error)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        Mutation = mutation;
        Reason = reason;
        Error = error;
    }

    /// <summary>Gets the mutation, with status <see cref="MutationStatus.PermanentlyFailed"/>.</summary>
    public PendingMutation Mutation { get; }

    /// <summary>Gets the resource name.</summary>
    public string Resource => Mutation.Resource;

    /// <summary>
    /// Gets the key of the item, as <see cref="PendingMutation.Key"/>: the optimistic key while the item's create is
    /// unconfirmed (always so for a failed create), the server key once it is.
    /// </summary>
    public string Key => Mutation.Key;

    /// <summary>Gets why the mutation failed.</summary>
    public FailureReason Reason { get; }

    /// <summary>Gets what went wrong, when known.</summary>
    public string? Error { get; }
}
