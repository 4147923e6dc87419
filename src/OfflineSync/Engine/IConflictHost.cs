namespace OfflineSync;

/// <summary>
/// What <see cref="ConflictResolver"/> may do to the queue and the views; the engine implements it. Every member but
/// <see cref="Fire"/> and <see cref="Resume"/> is called under <see cref="Gate"/>.
/// </summary>
internal interface IConflictHost
{
    Lock Gate { get; }

    /// <summary>Gets whether the engine was disposed.</summary>
    bool IsStopped { get; }

    /// <summary>Describes a mutation as the app sees it (<c>GetPending</c>).</summary>
    PendingMutation Describe(QueuedMutation mutation);

    /// <summary>Stores the mutation's new state (status, attempts, idempotency key, base version, payload).</summary>
    void Persist(QueuedMutation mutation);

    /// <summary>Fails the mutation for good, and what depends on it (S9).</summary>
    void Fail(QueuedMutation mutation, FailureReason reason, string? error, EngineEvents events);

    /// <summary>Drops the mutation and its local change; a dropped create fails what depends on it (S9, S11).</summary>
    void Drop(QueuedMutation mutation, EngineEvents events);

    /// <summary>Shows the server's row of the mutation's object; an empty state means the row is gone (ServerWins).</summary>
    void ShowServerRow(QueuedMutation mutation, string? version, ReadOnlyMemory<byte> state);

    /// <summary>Gives the mutation the app's replacement data (<see cref="ConflictResolution.Replace{TEntity}(TEntity)"/>).</summary>
    void Replace(QueuedMutation mutation, object data, ReadOnlyMemory<byte> serverState);

    /// <summary>Raises the events collected under the lock; called without it.</summary>
    void Fire(EngineEvents events);

    /// <summary>Starts the drain again once a conflict is answered; called without the lock.</summary>
    void Resume();
}
