namespace OfflineSync;

/// <summary>The state of a queued mutation.</summary>
public enum MutationStatus
{
    /// <summary>Waiting to be sent.</summary>
    Pending,

    /// <summary>Sent; no answer yet.</summary>
    InFlight,

    /// <summary>The last attempt failed transiently; it will be retried after a backoff.</summary>
    Failed,

    /// <summary>Waiting for the application's answer to a conflict (<see cref="ConflictStrategy.Manual"/>).</summary>
    Conflicted,

    /// <summary>Will not be sent again until the application calls <c>RetryAsync</c> or <c>DiscardAsync</c>; see <see cref="FailureReason"/>.</summary>
    PermanentlyFailed,
}

/// <summary>Why a mutation failed permanently.</summary>
public enum FailureReason
{
    /// <summary>Every attempt allowed by <c>MaxAttempts</c> failed transiently.</summary>
    Exhausted,

    /// <summary>The server refused it (4xx other than 408, 409 and 429).</summary>
    Rejected,

    /// <summary>It depends on a mutation that failed permanently (same object, or a reference to its optimistic key).</summary>
    DependencyFailed,

    /// <summary>A create conflicted and the conflict strategy could not resolve it.</summary>
    Conflict,
}
