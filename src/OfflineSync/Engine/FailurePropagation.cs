using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// S9, F2: a mutation that fails for good takes with it, transitively, every later mutation of the same object and
/// every mutation that references the key of a failed create, each with its own <c>MutationFailed</c> and reason
/// <see cref="FailureReason.DependencyFailed"/>; independent mutations continue. <see cref="Revive"/> puts a failed
/// mutation back in line with the mutations that failed only because of it.
/// </summary>
/// <remarks>Used under the engine's lock. Failed mutations are parked beside the FIFO list, so the drain never walks over them.</remarks>
internal sealed class FailurePropagation(MutationQueue queue, IMutationStore store, IdMap map, SyncTelemetry telemetry, ILogger logger, Action counted)
{
    private readonly MutationQueue _queue = queue;
    private readonly IMutationStore _store = store;
    private readonly IdMap _map = map;
    private readonly SyncTelemetry _telemetry = telemetry;
    private readonly ILogger _logger = logger;
    private readonly Action _counted = counted;

    /// <summary>Fails a mutation for good and, transitively, what depends on it.</summary>
    public void Fail(QueuedMutation mutation, FailureReason reason, string? error, EngineEvents events)
    {
        MarkFailed(mutation, reason, error, events);
        FailDependents(mutation, events);
    }

    /// <summary>Fails what depends on <paramref name="root"/>, which failed or left the queue without reaching the server.</summary>
    public void FailDependents(QueuedMutation root, EngineEvents events)
    {
        var work = new Stack<QueuedMutation>();
        work.Push(root);
        while (work.TryPop(out QueuedMutation? failed))
        {
            foreach (QueuedMutation later in failed.Object.ToArray())
            {
                if (later.Sequence > failed.Sequence && CanFailAsDependent(later))
                {
                    MarkFailed(later, FailureReason.DependencyFailed, DependencyError(failed), events);
                    work.Push(later);
                }
            }

            if (failed.Kind == MutationKind.Create && failed.Dependents is { } dependents)
            {
                foreach (QueuedMutation dependent in dependents.ToArray())
                {
                    if (CanFailAsDependent(dependent))
                    {
                        MarkFailed(dependent, FailureReason.DependencyFailed, DependencyError(failed), events);
                        work.Push(dependent);
                    }
                }
            }
        }
    }

    /// <summary>A new mutation that depends on a permanently failed one fails at once.</summary>
    public void FailIfDependencyFailed(QueuedMutation mutation, EngineEvents events)
    {
        QueuedMutation? failed = null;
        foreach (QueuedMutation earlier in mutation.Object.Mutations)
        {
            if (earlier.Sequence < mutation.Sequence && earlier.Status == MutationStatus.PermanentlyFailed)
            {
                failed = earlier;
                break;
            }
        }

        if (failed is null && mutation.DependsOn is { } creates)
        {
            failed = Array.Find(creates, static c => c.Status == MutationStatus.PermanentlyFailed);
        }

        if (failed is not null)
        {
            Fail(mutation, FailureReason.DependencyFailed, DependencyError(failed), events);
        }
    }

    /// <summary>Puts a permanently failed mutation back in line, with the dependents that failed only because of it (<c>RetryAsync</c>).</summary>
    public void Revive(QueuedMutation root)
    {
        var work = new Stack<QueuedMutation>();
        work.Push(root);
        while (work.TryPop(out QueuedMutation? mutation))
        {
            if (mutation.Status != MutationStatus.PermanentlyFailed || (!ReferenceEquals(mutation, root) && HasFailedDependency(mutation)))
            {
                continue;
            }

            mutation.Status = MutationStatus.Pending;
            mutation.Attempts = 0;
            mutation.FailureReason = null;
            mutation.LastError = null;
            _queue.Unpark(mutation);
            _store.Update(mutation.ToStored());
            foreach (QueuedMutation later in mutation.Object.Mutations)
            {
                if (later.Sequence > mutation.Sequence && later.FailureReason == FailureReason.DependencyFailed)
                {
                    work.Push(later);
                }
            }

            if (mutation.Kind == MutationKind.Create && mutation.Dependents is { } dependents)
            {
                foreach (QueuedMutation dependent in dependents)
                {
                    if (!dependent.Removed && dependent.FailureReason == FailureReason.DependencyFailed)
                    {
                        work.Push(dependent);
                    }
                }
            }
        }
    }

    private static bool HasFailedDependency(QueuedMutation mutation)
    {
        foreach (QueuedMutation earlier in mutation.Object.Mutations)
        {
            if (earlier.Sequence < mutation.Sequence && earlier.Status == MutationStatus.PermanentlyFailed)
            {
                return true;
            }
        }

        return mutation.DependsOn is { } creates && Array.Exists(creates, static c => !c.Removed && c.Status == MutationStatus.PermanentlyFailed);
    }

    private static string DependencyError(QueuedMutation failed)
    {
        string dependency = $"It depends on mutation {failed.Sequence} ({IdempotencyKeys.KindToken(failed.Kind)} of {failed.Resource.Name} {failed.Key}), which failed";

        // The root's own words travel one step: a dependent of a mutation an access rule refused (403) says so; further
        // down the chain the reason alone, so that a long chain does not repeat every message before it.
        return failed.FailureReason switch
        {
            null => dependency + ".",
            FailureReason.DependencyFailed => dependency + " (DependencyFailed).",
            { } reason => $"{dependency} ({reason}): {failed.LastError}",
        };
    }

    private static bool CanFailAsDependent(QueuedMutation mutation) =>
        !mutation.Removed && mutation.Status is not (MutationStatus.PermanentlyFailed or MutationStatus.InFlight);

    private void MarkFailed(QueuedMutation mutation, FailureReason reason, string? error, EngineEvents events)
    {
        mutation.Status = MutationStatus.PermanentlyFailed;
        mutation.FailureReason = reason;
        mutation.LastError = error;
        _queue.Park(mutation);
        _store.Update(mutation.ToStored());
        _counted();
        SyncTelemetry.Count(_telemetry.Failed, mutation.Resource.Name);
        PendingMutation snapshot = mutation.ToPending(_map);
        Log.FailedPermanently(_logger, mutation.Sequence, mutation.Kind, mutation.Resource.Name, snapshot.Key, reason, error);
        events.Add(new MutationFailedEventArgs(snapshot, reason, error));
    }
}
