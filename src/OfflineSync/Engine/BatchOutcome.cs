namespace OfflineSync;

/// <summary>What one push step of the drain achieved; the retry pipeline handles <see cref="BatchOutcomeKind.Transient"/>.</summary>
internal readonly record struct BatchOutcome(BatchOutcomeKind Kind, TimeSpan Delay = default)
{
    public static BatchOutcome Idle => new(BatchOutcomeKind.Idle);

    public static BatchOutcome Blocked => new(BatchOutcomeKind.Blocked);

    public static BatchOutcome Progress => new(BatchOutcomeKind.Progress);
}

internal enum BatchOutcomeKind
{
    /// <summary>Nothing can be sent: the queue is empty or holds only permanently failed mutations, or the client is offline and its head was never tried.</summary>
    Idle,

    /// <summary>The head waits for the app's answer to a conflict, or for new credentials after a 401.</summary>
    Blocked,

    /// <summary>Results were applied; push again.</summary>
    Progress,

    /// <summary>The head failed transiently, or waits to be re-sent after repeated conflicts; wait <see cref="BatchOutcome.Delay"/> and push again.</summary>
    Transient,
}
