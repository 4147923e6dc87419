namespace OfflineSync;

/// <summary>
/// What <see cref="SyncDrain"/> may ask of the engine: take a batch from the head of the queue and apply the server's
/// answers, both under the engine's lock, and show what the drain does. The drain knows nothing else of the engine.
/// </summary>
internal interface IDrainHost
{
    /// <summary>Gets the engine's lock; every member but <see cref="Fire"/> is called under it.</summary>
    Lock Gate { get; }

    /// <summary>Gets whether the engine was disposed.</summary>
    bool IsStopped { get; }

    /// <summary>Gets the status of the queue's head, or <see langword="null"/> when nothing can be sent.</summary>
    MutationStatus? HeadStatus { get; }

    /// <summary>Gets the number of queued mutations, failed ones included.</summary>
    int PendingCount { get; }

    /// <summary>Lets the head go at once, though it waits to be re-sent after repeated conflicts (<c>RetryNow</c>).</summary>
    void RetryHeadNow();

    /// <summary>Takes the next batch from the head, or <see langword="null"/> with <paramref name="outcome"/> when nothing can be sent.</summary>
    PushBatch? TakeBatch(out BatchOutcome outcome);

    /// <summary>Applies the server's answers, or the error the push threw, to a batch.</summary>
    BatchOutcome ApplyResults(PushBatch batch, IReadOnlyList<PushResult>? results, Exception? error, EngineEvents events);

    /// <summary>Puts the mutations of a batch that got no answer back to waiting.</summary>
    void ResetInFlight(PushBatch batch);

    /// <summary>Shows that a drain works or stopped (<see cref="SyncStatus.Syncing"/>, <see cref="SyncStatus.Idle"/>, or offline).</summary>
    void ShowDrain(bool running, EngineEvents events);

    /// <summary>Shows that the drain waits for the head's backoff.</summary>
    void ShowBackoff(EngineEvents events);

    /// <summary>Raises the events collected under the lock; called without it.</summary>
    void Fire(EngineEvents events);
}

/// <summary>A batch taken from the head of the queue: the queued mutations and what is pushed for them, in order.</summary>
internal sealed record PushBatch(List<QueuedMutation> Mutations, List<OutgoingMutation> Outgoing);
