namespace OfflineSync.Server.Feed;

/// <summary>Wakes idle change feeds when a commit appends changes.</summary>
internal sealed class ChangeNotifier
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task that completes at the next commit; take it before querying, so no commit is missed.</summary>
    public Task NextCommit => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
