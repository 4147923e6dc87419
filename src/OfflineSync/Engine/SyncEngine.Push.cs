namespace OfflineSync;

/// <summary>The engine's side of a push (<see cref="IDrainHost"/>): build the next batch, apply the server's answers (S3, S5, S9–S11).</summary>
internal sealed partial class SyncEngine
{
    /// <inheritdoc/>
    /// <remarks>Nothing can be sent while the client waits for new credentials: no drain starts, and <c>SyncAsync</c> returns.</remarks>
    MutationStatus? IDrainHost.HeadStatus => _unauthorized ? null : _queue.Head?.Status;

    /// <inheritdoc/>
    int IDrainHost.PendingCount => _queue.Count;

    /// <inheritdoc/>
    void IDrainHost.RetryHeadNow()
    {
        if (_queue.Head is { } head)
        {
            head.NotBefore = null;
        }
    }

    /// <inheritdoc/>
    void IDrainHost.ShowDrain(bool running, EngineEvents events) => SetDrainStatus(running, events);

    /// <inheritdoc/>
    void IDrainHost.ShowBackoff(EngineEvents events) => SetBackoffStatus(events);

    /// <inheritdoc/>
    void IDrainHost.ResetInFlight(PushBatch batch) => ResetInFlight(batch.Mutations, 0);

    /// <summary>
    /// Takes the next batch from the head of the queue, in order, at most <see cref="SyncOptions.BatchSize"/>
    /// mutations, stopping before a mutation that waits for a conflict answer. Keys and references are
    /// remapped here, at send time; a mutation that references a create still unconfirmed follows that
    /// create in queue order, so it is in the same batch or a later one, never before it (S5).
    /// </summary>
    /// <returns>The batch, or <see langword="null"/> with <paramref name="outcome"/> when nothing can be sent.</returns>
    public PushBatch? TakeBatch(out BatchOutcome outcome)
    {
        QueuedMutation? head = _queue.Head;

        // Offline, a drain that was already running (or was kicked just before) sends nothing new: it stops here and
        // going online kicks a new one. A head that failed transiently is still retried on its timer (S8).
        if (_disposed || head is null || (!_online && head.Attempts == 0))
        {
            outcome = BatchOutcome.Idle;
            return null;
        }

        if (head.Status == MutationStatus.Conflicted || _unauthorized)
        {
            // Waiting for a conflict answer, or for new credentials after a feed's 401: a backoff that ends meanwhile sends nothing.
            outcome = BatchOutcome.Blocked;
            return null;
        }

        if (head.NotBefore is { } due && due - _options.TimeProvider.GetUtcNow() is { Ticks: > 0 } wait)
        {
            // A re-send after repeated conflicts backs off like a transient failure (S11); nothing overtakes it (S5).
            outcome = new BatchOutcome(BatchOutcomeKind.Transient, wait);
            return null;
        }

        int size = Math.Min(_options.BatchSize, _queue.Count);
        var batch = new List<QueuedMutation>(size);
        var outgoing = new List<OutgoingMutation>(size);
        for (QueuedMutation? mutation = head; mutation is not null && batch.Count < _options.BatchSize; mutation = mutation.Next)
        {
            if (mutation.Status == MutationStatus.Conflicted)
            {
                break;
            }

            // While the object's create is queued it goes in this batch ahead of the mutation, and the server resolves
            // the key as sent within the batch; a mapping the feed revealed meanwhile is not swapped in, so a retry of a
            // request the server may have applied repeats it exactly (it replays by idempotency key and request, S9).
            string key = mutation.Kind == MutationKind.Create || mutation.Object.Create is not null
                ? mutation.Key
                : _idMap.Resolve(mutation.Resource.TypeId, mutation.Key);
            outgoing.Add(new OutgoingMutation(
                mutation.Resource.Name,
                mutation.Kind,
                key,
                mutation.Kind == MutationKind.Create ? mutation.Key : null,
                mutation.PayloadForSend(_idMap, _queue),
                mutation.IdempotencyKey,
                mutation.Kind == MutationKind.Create ? null : mutation.BaseVersion,
                ClientId));
            mutation.Status = MutationStatus.InFlight;
            mutation.MaybeSent = true;
            batch.Add(mutation);
        }

        outcome = BatchOutcome.Progress;
        return new PushBatch(batch, outgoing);
    }

    /// <summary>
    /// Applies the answers to a batch: applied mutations leave the queue in order; the first answer that is
    /// not <see cref="PushResult.Applied"/> is handled and the rest of the batch goes back to waiting.
    /// </summary>
    public BatchOutcome ApplyResults(PushBatch pushed, IReadOnlyList<PushResult>? results, Exception? error, EngineEvents events)
    {
        List<QueuedMutation> batch = pushed.Mutations;
        if (error is not null)
        {
            ResetInFlight(batch, 0);
            if (SyncUnauthorizedException.Find(error) is { } refused)
            {
                RecordUnauthorized(refused.Message, events);
                return BatchOutcome.Blocked;
            }

            if (!TransientErrors.IsTransient(error))
            {
                // A bug or a broken server answer: retrying the same bytes would fail the same way.
                _failures.Fail(batch[0], FailureReason.Rejected, $"The transport failed: {error.GetType().Name}: {error.Message}", events);
                return BatchOutcome.Progress;
            }

            // A thrown transport error is a transient failure of every mutation of the batch.
            TimeSpan? delay = null;
            foreach (QueuedMutation mutation in batch)
            {
                if (!mutation.Removed && mutation.Status != MutationStatus.PermanentlyFailed)
                {
                    TimeSpan? own = RecordTransient(mutation, error.Message, null, events);
                    delay ??= own;
                }
            }

            RecordTransientFailure(events);
            return delay is { } wait ? new BatchOutcome(BatchOutcomeKind.Transient, wait) : BatchOutcome.Progress;
        }

        int count = Math.Min(results!.Count, batch.Count);
        int applied = 0;
        while (applied < count && results[applied] is PushResult.Applied answer && ProtocolChecks.IsValidKey(batch[applied].Resource.Model.KeyKind, answer.ServerKey))
        {
            applied++;
        }

        if (applied > 0)
        {
            RecordServerAnswer();
            ConfirmAnswer(batch, results, applied, events);
        }

        if (applied < count)
        {
            // The first answer that is not a confirmation is handled; the rest of the batch goes back to waiting.
            QueuedMutation mutation = batch[applied];
            PushResult result = results[applied];
            if (result is not PushResult.Transient)
            {
                RecordServerAnswer();
            }

            ResetInFlight(batch, applied);
            switch (result)
            {
                case PushResult.Applied refused:
                    // A key the entity cannot hold would poison the ID map and every view it reaches.
                    mutation.Attempts++;
                    _failures.Fail(mutation, FailureReason.Rejected, $"The server answered the key {ProtocolChecks.Quote(refused.ServerKey)}, which is not a valid {mutation.Resource.Model.KeyKind} key of '{mutation.Resource.Name}'.", events);
                    return BatchOutcome.Progress;
                case PushResult.Conflict conflict:
                    return _conflicts.OnConflict(mutation, conflict, events);
                case PushResult.Unauthorized unauthorized:
                    // The credentials, not the mutation: it keeps its status and attempts and waits with the queue.
                    RecordUnauthorized(unauthorized.Error, events);
                    return BatchOutcome.Blocked;
                case PushResult.Rejected rejected:
                    mutation.Attempts++;
                    _failures.Fail(mutation, FailureReason.Rejected, rejected.Error, events);
                    return BatchOutcome.Progress;
                case PushResult.Transient transient:
                    TimeSpan? delay = RecordTransient(mutation, transient.Error, transient.RetryAfter, events);
                    RecordTransientFailure(events);
                    return delay is { } wait ? new BatchOutcome(BatchOutcomeKind.Transient, wait) : BatchOutcome.Progress;
                default:
                    throw new InvalidOperationException($"Unknown push result {result.GetType().Name}.");
            }
        }

        // The server answered fewer mutations than were sent: the rest were not applied and go again.
        ResetInFlight(batch, count);
        return BatchOutcome.Progress;
    }

    /// <summary>Puts mutations of a batch that got no answer back to waiting; call under the lock.</summary>
    internal void ResetInFlight(List<QueuedMutation> batch, int from)
    {
        for (int i = from; i < batch.Count; i++)
        {
            QueuedMutation mutation = batch[i];
            if (mutation.Status == MutationStatus.InFlight)
            {
                mutation.Status = mutation.Attempts > 0 ? MutationStatus.Failed : MutationStatus.Pending;
            }
        }
    }

    /// <summary>
    /// S9/F1: counts the attempt and keeps the mutation queued as <see cref="MutationStatus.Failed"/>, or fails
    /// it with <see cref="FailureReason.Exhausted"/> after the last attempt. Returns the backoff, or
    /// <see langword="null"/> when it failed for good.
    /// </summary>
    private TimeSpan? RecordTransient(QueuedMutation mutation, string error, TimeSpan? retryAfter, EngineEvents events)
    {
        mutation.Attempts++;
        mutation.LastError = error;
        if (mutation.Attempts >= _options.MaxAttempts)
        {
            _failures.Fail(mutation, FailureReason.Exhausted, error, events);
            return null;
        }

        mutation.Status = MutationStatus.Failed;
        _store.Update(mutation.ToStored());
        TimeSpan delay = _options.Retry.Delay(mutation.Attempts, retryAfter);
        Log.Transient(_logger, mutation.Sequence, mutation.Kind, mutation.Resource.Name, mutation.Key, mutation.Attempts, error, delay);
        return delay;
    }

    /// <summary>
    /// The server applied the first <paramref name="applied"/> mutations of a batch (S3). One store call records the whole
    /// answer: it removes them, stores the mappings their creates produced and the base versions the next edits of their
    /// objects take (S10). So a crash leaves the batch either still queued, to be repeated exactly and answered from the
    /// server's idempotency store, or confirmed as a whole, never a create confirmed while a mutation of the same batch
    /// that names its optimistic key is still queued (it would go again with the server key, under the idempotency key
    /// it first went with: a reused key, refused). Then the views re-key the items and every reference to them.
    /// </summary>
    private void ConfirmAnswer(List<QueuedMutation> batch, IReadOnlyList<PushResult> results, int applied, EngineEvents events)
    {
        var completed = new CompletedMutation[applied];
        for (int i = 0; i < applied; i++)
        {
            QueuedMutation mutation = batch[i];
            string serverKey = ((PushResult.Applied)results[i]).ServerKey;
            IdMapping? mapping = null;
            if (mutation.Kind == MutationKind.Create && serverKey != mutation.Key && !_idMap.TryResolve(mutation.Resource.TypeId, mutation.Key, out _))
            {
                mapping = new IdMapping(mutation.Resource.Name, mutation.Key, serverKey);
            }

            completed[i] = new CompletedMutation(mutation.Sequence, mapping);
        }

        List<(QueuedMutation Next, string? Version)>? bases = NextBases(batch, results, applied);
        List<StoredMutation> updated = bases is null ? [] : bases.ConvertAll(static b => b.Next.ToStored() with { BaseVersion = b.Version });

        // The rows the answer left are kept with it (S15): a feed write of an older state must not land between the
        // two, so the views take the answer before the gate opens.
        lock (KeptRowsGate)
        {
            _store.Complete(completed, updated, KeptRows(batch, results, applied));
            for (int i = 0; i < applied; i++)
            {
                Confirm(batch[i], (PushResult.Applied)results[i], completed[i].Mapping, events);
            }
        }

        foreach ((QueuedMutation next, string? version) in bases ?? [])
        {
            next.BaseVersion = version;
            next.BaseFromPrevious = false;
        }
    }

    /// <summary>
    /// S10: for each object the confirmed mutations changed, the next queued edit that was made on top of them takes the
    /// version the last of them answered; also when that edit was in the batch and the server did not apply it (it goes
    /// again on its own, and is based on what the server now holds). <see langword="null"/> when there is none.
    /// </summary>
    private static List<(QueuedMutation Next, string? Version)>? NextBases(List<QueuedMutation> batch, IReadOnlyList<PushResult> results, int applied)
    {
        List<(QueuedMutation, string?)>? bases = null;
        for (int i = applied - 1; i >= 0; i--)
        {
            ObjectEntry entry = batch[i].Object;
            if (IsLastConfirmedOfObject(batch, i, applied))
            {
                QueuedMutation? next = null;
                foreach (QueuedMutation mutation in entry.Mutations)
                {
                    int index = batch.IndexOf(mutation);
                    if (index < 0 || index >= applied)
                    {
                        next = mutation;
                        break;
                    }
                }

                if (next is { BaseFromPrevious: true } && next.Kind != MutationKind.Create)
                {
                    (bases ??= []).Add((next, ((PushResult.Applied)results[i]).Version));
                }
            }
        }

        return bases;
    }

    /// <summary>
    /// The changes to the kept rows an answer makes (S10, S15): per resource, the last confirmed write of each row, as the
    /// views will hold it. A store that keeps them with the answer shows the client's own writes after a restart, and
    /// bases the next edit on the version they made, even before the feed brings them.
    /// </summary>
    private static IReadOnlyList<FeedCheckpointWrite> KeptRows(List<QueuedMutation> batch, IReadOnlyList<PushResult> results, int applied)
    {
        Dictionary<ResourceRuntime, List<ConfirmedWrite>>? byResource = null;
        for (int i = 0; i < applied; i++)
        {
            if (!IsLastConfirmedOfObject(batch, i, applied))
            {
                continue;
            }

            QueuedMutation mutation = batch[i];
            var answer = (PushResult.Applied)results[i];
            var write = new ConfirmedWrite(answer.ServerKey, mutation.Kind, answer.Version, answer.State, mutation.Object.Create?.Sequence);
            if (!write.CanChangeKeptRows)
            {
                continue;
            }

            byResource ??= [];
            if (!byResource.TryGetValue(mutation.Resource, out List<ConfirmedWrite>? writes))
            {
                byResource[mutation.Resource] = writes = [];
            }

            writes.Add(write);
        }

        if (byResource is null)
        {
            return [];
        }

        var kept = new List<FeedCheckpointWrite>();
        foreach ((ResourceRuntime runtime, List<ConfirmedWrite> writes) in byResource)
        {
            if (runtime.KeepAnswered(writes) is { } write)
            {
                kept.Add(write);
            }
        }

        return kept;
    }

    private static bool IsLastConfirmedOfObject(List<QueuedMutation> batch, int index, int applied)
    {
        for (int j = index + 1; j < applied; j++)
        {
            if (ReferenceEquals(batch[j].Object, batch[index].Object))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Applies one confirmation in memory, once the store holds the batch's answer (<see cref="ConfirmAnswer"/>).</summary>
    private void Confirm(QueuedMutation mutation, PushResult.Applied applied, IdMapping? mapping, EngineEvents events)
    {
        mutation.Attempts++;
        ResourceRuntime runtime = mutation.Resource;
        string serverKey = applied.ServerKey;
        PendingMutation? snapshot = MutationSynced is null ? null : mutation.ToPending(_idMap);

        // The mapping goes into the ID map before the view hears of the create, so a mapping the view
        // reports back while re-keying is recognized as known.
        if (mapping is not null)
        {
            RecordMapping(runtime.TypeId, mapping);
        }

        // Only once the create is out of the queue do the references to it take the server key, when next sent (S3):
        // before, they travel in the create's batch under the key the server resolves there. Nothing is rewritten here.
        Unqueue(mutation, discardInView: false);
        runtime.Confirm(mutation.Sequence, serverKey, applied.Version, applied.State);
        if (mutation.Absorbed is { } absorbed)
        {
            foreach (long sequence in absorbed)
            {
                runtime.Confirm(sequence, serverKey, applied.Version, applied.State);
            }
        }

        if (mapping is not null)
        {
            PublishMapping(mapping, events);
        }

        _drain.CountSynced();
        SyncTelemetry.Count(Telemetry.Synced, runtime.Name);
        if (snapshot is not null)
        {
            // The mutation keeps the key it was sent under, as in the other events; the server's key is beside it.
            events.Add(new MutationSyncedEventArgs(snapshot, serverKey, applied.Version));
        }
    }
}
