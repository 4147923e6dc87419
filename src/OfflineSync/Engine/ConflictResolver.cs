using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Applies <see cref="SyncOptions.ConflictStrategy"/> to a conflict the server reported (S10, S11, F3):
/// ServerWins drops the mutation and shows the server's row, ClientWins re-sends on top of the server's
/// version, Manual asks <see cref="SyncOptions.OnConflict"/> and holds the queue until it answers. An
/// update or delete of a row that is gone (409 without a current state) cannot be re-sent: ServerWins and
/// ClientWins drop it and the view takes the deletion. Re-sends count toward <see cref="SyncOptions.MaxAttempts"/>
/// and, from the second on, wait like transient retries, so a row that keeps conflicting cannot hold the queue.
/// </summary>
/// <remarks>Every method but <see cref="AskAsync"/> runs under the engine's lock. It sees the engine through <see cref="IConflictHost"/> only.</remarks>
internal sealed class ConflictResolver(IConflictHost host, EngineOptions options, SyncTelemetry telemetry, ILogger logger)
{
    private readonly IConflictHost _host = host;
    private readonly EngineOptions _options = options;
    private readonly SyncTelemetry _telemetry = telemetry;
    private readonly ILogger _logger = logger;

    public BatchOutcome OnConflict(QueuedMutation mutation, PushResult.Conflict conflict, EngineEvents events)
    {
        mutation.Attempts++;
        ConflictStrategy strategy = _options.ConflictStrategy;
        PendingMutation snapshot = _host.Describe(mutation);
        var details = new SyncConflict(snapshot, mutation.Payload, conflict.ServerState, conflict.Version, conflict.Error, strategy);
        SyncTelemetry.Count(_telemetry.Conflicts, mutation.Resource.Name);
        Log.Conflict(_logger, mutation.Sequence, mutation.Kind, mutation.Resource.Name, snapshot.Key, strategy, conflict.Error);
        events.Add(details);

        switch (strategy)
        {
            case ConflictStrategy.ClientWins when mutation.Kind == MutationKind.Create:
                // Re-sending cannot fix a broken server constraint.
                _host.Fail(mutation, FailureReason.Conflict, conflict.Error, events);
                break;
            case ConflictStrategy.ClientWins when !conflict.ServerState.IsEmpty:
                Resend(mutation, conflict.Version, conflict.Error, events);
                break;
            case ConflictStrategy.Manual:
                // The item keeps its optimistic state and nothing overtakes the mutation until the app answers.
                mutation.Status = MutationStatus.Conflicted;
                mutation.LastError = conflict.Error;
                _host.Persist(mutation);
                events.Add(new ConflictCallback(mutation, details));

                // The drain looks at the head again under the lock and stops there, so an answer that comes
                // back at once is never missed.
                break;
            default:
                // ServerWins, and ClientWins on a gone row (another client deleted it): there is nothing to write
                // the client's data on top of, so the view takes the deletion.
                Discard(mutation, conflict.ServerState, conflict.Version, events);
                break;
        }

        return BatchOutcome.Progress;
    }

    /// <summary>Asks the app's <see cref="SyncOptions.OnConflict"/>, then applies its answer and resumes the drain.</summary>
    public async Task AskAsync(ConflictCallback callback)
    {
        ConflictResolution? resolution = null;
        Exception? error = null;
        try
        {
            resolution = await _options.OnConflict!(callback.Conflict).ConfigureAwait(false)
                ?? throw new InvalidOperationException("SyncOptions.OnConflict returned null; return ConflictResolution.Discard, .Retry or .Replace(data).");
        }
        catch (Exception exception)
        {
            error = exception;
        }

        var events = new EngineEvents();
        lock (_host.Gate)
        {
            QueuedMutation mutation = callback.Mutation;
            if (_host.IsStopped || mutation.Removed || mutation.Status != MutationStatus.Conflicted)
            {
                return;
            }

            SyncConflict conflict = callback.Conflict;
            try
            {
                if (error is not null)
                {
                    throw error;
                }

                switch (resolution!.Kind)
                {
                    case ConflictResolutionKind.Discard:
                        Discard(mutation, conflict.ServerState, conflict.ServerVersion, events);
                        break;
                    case ConflictResolutionKind.Replace when mutation.Kind != MutationKind.Delete:
                        _host.Replace(mutation, resolution.Data!, conflict.ServerState);
                        Resend(mutation, conflict.ServerVersion, conflict.Error, events);
                        break;
                    default:
                        Resend(mutation, conflict.ServerVersion, conflict.Error, events);
                        break;
                }
            }
            catch (Exception exception)
            {
                // F3: the app could not answer; the mutation fails and stays visible until retried or discarded.
                _host.Fail(mutation, FailureReason.Conflict, $"OnConflict failed: {exception.Message}", events);
            }
        }

        _host.Fire(events);
        _host.Resume();
    }

    /// <summary>
    /// S11: a re-send is a new attempt on top of the server's version, with a key derived from the original. The
    /// conflict was an attempt (S9): after the last one the mutation fails as <see cref="FailureReason.Exhausted"/>;
    /// a second or later re-send waits the backoff a transient failure would (<see cref="QueuedMutation.NotBefore"/>).
    /// </summary>
    private void Resend(QueuedMutation mutation, string? serverVersion, string error, EngineEvents events)
    {
        mutation.LastError = error;
        if (mutation.Attempts >= _options.MaxAttempts)
        {
            _host.Fail(mutation, FailureReason.Exhausted, $"Still in conflict after {mutation.Attempts} attempts: {error}", events);
            return;
        }

        if (mutation.Resends > 0)
        {
            mutation.NotBefore = _options.TimeProvider.GetUtcNow() + _options.Retry.Delay(mutation.Resends, null);
        }

        mutation.Resends++;
        mutation.IdempotencyKey = IdempotencyKeys.ForResend(mutation.OriginalIdempotencyKey, mutation.Resends);
        if (mutation.Kind != MutationKind.Create)
        {
            mutation.BaseVersion = serverVersion;
            mutation.BaseFromPrevious = false;
        }

        mutation.Status = MutationStatus.Pending;
        _host.Persist(mutation);
    }

    /// <summary>
    /// ServerWins and Discard: the mutation goes and the view takes the server's row. A dropped create takes
    /// its optimistic item with it, and what depends on it fails (S11).
    /// </summary>
    private void Discard(QueuedMutation mutation, ReadOnlyMemory<byte> serverState, string? serverVersion, EngineEvents events)
    {
        _host.Drop(mutation, events);
        if (mutation.Kind == MutationKind.Create)
        {
            return;
        }

        _host.ShowServerRow(mutation, serverVersion, serverState);

        // Edits queued on top of the dropped one were made on the same stale row: they keep its base version,
        // so the server reports them as conflicts too instead of applying them over its state.
        if (mutation.Object.First is { BaseFromPrevious: true } next)
        {
            next.BaseVersion = mutation.BaseVersion;
            next.BaseFromPrevious = false;
            _host.Persist(next);
        }
    }
}
