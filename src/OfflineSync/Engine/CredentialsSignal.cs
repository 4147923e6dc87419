namespace OfflineSync;

/// <summary>
/// Tells the feed followers that the app has new credentials (<see cref="SyncClient.NotifyCredentialsChanged"/>, going
/// online, <see cref="SyncClient.RetryNow"/>): a follower the server refused (401) waits for it instead of retrying with
/// backoff. Versioned, so a renewal between a follower's request and its wait is not missed.
/// </summary>
internal sealed class CredentialsSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _renewed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>Gets the number of renewals so far; read it before a request, and wait with it after a refusal.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Wakes every follower that waits, and those that will wait with an older <see cref="Version"/>.</summary>
    public void Renew()
    {
        TaskCompletionSource renewed;
        lock (_gate)
        {
            _version++;
            renewed = _renewed;
            _renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        renewed.TrySetResult();
    }

    /// <summary>Completes once the credentials were renewed after <paramref name="version"/>: at once when they were already.</summary>
    public Task WhenRenewedAsync(long version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _version != version ? Task.CompletedTask : _renewed.Task.WaitAsync(cancellationToken);
        }
    }
}
