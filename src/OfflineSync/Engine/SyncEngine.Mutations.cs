namespace OfflineSync;

/// <summary>Local changes: apply to the view at once, queue durably, coalesce (S1, S2, S6, S7).</summary>
internal sealed partial class SyncEngine
{
    /// <inheritdoc/>
    public TEntity Create<TEntity>(TEntity item, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        ArgumentNullException.ThrowIfNull(item);
        ResourceRuntime<TEntity> runtime = Runtime<TEntity>();
        var events = new EngineEvents();
        TEntity result = item;
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (FindByAppKey(idempotencyKey, runtime, MutationKind.Create) is { } first)
            {
                // S6: a repeated call returns the first call's item.
                return runtime.View.TryGet(first.CurrentKey(_idMap), out TEntity? shown) ? shown : item;
            }

            string key = TEntity.GetKey(item);
            bool unset = IsUnsetKey(TEntity.KeyKind, key);
            if (!unset)
            {
                // S2: a proposed key travels in headers and paths; one the server would refuse is refused here, before anything is queued.
                ProtocolChecks.ProposedKey(TEntity.ResourceName, key);
            }

            QueuedMutation? oldest = MakeRoom();
            if (unset)
            {
                key = NewOptimisticKey<TEntity>();
                TEntity.SetKey(item, key);
            }

            long sequence = _sequence.Peek;
            ObjectEntry entry = _queue.GetOrAddObject(runtime.TypeId, key);
            string idempotency = TEntity.CreateIdempotencyKey(MutationKind.Create, key, ClientId, sequence);
            var mutation = new QueuedMutation(sequence, runtime, MutationKind.Create, entry, key, idempotency, TimeProvider.GetUtcNow())
            {
                AppIdempotencyKey = idempotencyKey,
            };

            // References to items confirmed already take their server keys now (S3); the rest are dependencies (S5).
            List<HeldKey>? held = QueuedPayload<TEntity>.Set(mutation, item, _idMap, _queue);
            Enqueue(mutation, HeldKeys.Creates(held));
            _queue.SetPendingCreate(mutation);

            // The view reads its own copy from the payload when it must show the item: the app keeps its instance.
            runtime.View.AddCreate(sequence, key, mutation.Payload, HeldKeys.OpenReferences(held));
            _failures.FailIfDependencyFailed(mutation, events);
            DropOldest(oldest, events);
        }

        Fire(events);
        KickAfterChange();
        return result;
    }

    /// <inheritdoc/>
    public TEntity Update<TEntity>(string key, ISyncPatch<TEntity> patch, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(patch);
        ResourceRuntime<TEntity> runtime = Runtime<TEntity>();
        var events = new EngineEvents();
        TEntity result;
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            string resolved = _idMap.Resolve(runtime.TypeId, key);
            if (!runtime.View.TryGet(resolved, out TEntity? current))
            {
                throw new KeyNotFoundException($"No {TEntity.ResourceName} item has the key '{key}'.");
            }

            if (FindByAppKey(idempotencyKey, runtime, MutationKind.Update) is not null || patch.IsEmpty)
            {
                return current;
            }

            var remap = new RemappingVisitor(_idMap);
            patch.VisitReferences(ref remap);
            var dependencies = new DependencyVisitor(_queue);
            patch.VisitReferences(ref dependencies);

            ObjectEntry? entry = _queue.FindObject(runtime.TypeId, resolved);
            QueuedMutation[]? creates = dependencies.Creates;
            if (Coalescer.MergeTarget(entry, creates) is { } target)
            {
                result = _coalescer.Merge(runtime, target, resolved, patch, dependencies.Held, idempotencyKey);
            }
            else
            {
                QueuedMutation? oldest = MakeRoom();
                entry = _queue.GetOrAddObject(runtime.TypeId, resolved);
                long sequence = _sequence.Peek;
                string idempotency = TEntity.CreateIdempotencyKey(MutationKind.Update, resolved, ClientId, sequence);
                bool afterPrevious = entry.Count > 0;
                var mutation = new QueuedMutation(sequence, runtime, MutationKind.Update, entry, entry.Key, idempotency, TimeProvider.GetUtcNow())
                {
                    AppIdempotencyKey = idempotencyKey,
                    BaseFromPrevious = afterPrevious,
                    BaseVersion = afterPrevious ? null : runtime.View.GetServerVersion(resolved),
                };

                ResourceRuntime.SetPayload(mutation, ResourceModel<TEntity>.SerializePatch(patch), dependencies.Held);
                Enqueue(mutation, creates);
                result = runtime.View.AddUpdate(sequence, resolved, mutation.Payload, HeldKeys.OpenReferences(dependencies.Held), patch);
                _failures.FailIfDependencyFailed(mutation, events);
                DropOldest(oldest, events);
            }
        }

        Fire(events);
        KickAfterChange();
        return result;
    }

    /// <inheritdoc/>
    public void Delete<TEntity>(string key, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        ArgumentNullException.ThrowIfNull(key);
        ResourceRuntime<TEntity> runtime = Runtime<TEntity>();
        var events = new EngineEvents();
        try
        {
            lock (Gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                string resolved = _idMap.Resolve(runtime.TypeId, key);
                ObjectEntry? entry = _queue.FindObject(runtime.TypeId, resolved);
                if (FindByAppKey(idempotencyKey, runtime, MutationKind.Delete) is not null || entry?.Last?.Kind == MutationKind.Delete)
                {
                    return;
                }

                if (!runtime.View.TryGet(resolved, out _))
                {
                    // Already gone (a repeated click after a cancelled create, a row deleted elsewhere): nothing to do.
                    return;
                }

                if (entry is not null && Coalescer.CancelsNeverSentCreate(entry))
                {
                    // S6: create + delete of an item the server never saw: both go, nothing is sent.
                    RemoveObject(entry);
                    return;
                }

                List<QueuedMutation>? drop = entry is null ? null : Coalescer.UpdatesADeleteDrops(entry);
                QueuedMutation? oldest = drop is null ? MakeRoom() : null;

                entry = _queue.GetOrAddObject(runtime.TypeId, resolved);
                long sequence = _sequence.Peek;
                string idempotency = TEntity.CreateIdempotencyKey(MutationKind.Delete, resolved, ClientId, sequence);
                bool afterPrevious = entry.Count > (drop?.Count ?? 0);
                var mutation = new QueuedMutation(sequence, runtime, MutationKind.Delete, entry, entry.Key, idempotency, TimeProvider.GetUtcNow())
                {
                    AppIdempotencyKey = idempotencyKey,
                    BaseFromPrevious = afterPrevious,
                    BaseVersion = afterPrevious ? null : runtime.View.GetServerVersion(resolved),
                };

                // The delete is stored before the updates it replaces are dropped: a crash in between leaves
                // both (sent in order, harmless), never neither, so no update that returned is lost (S4).
                Enqueue(mutation, null);
                runtime.View.AddDelete(sequence, resolved);
                if (drop is not null)
                {
                    DropUpdates(drop);
                }

                _failures.FailIfDependencyFailed(mutation, events);
                DropOldest(oldest, events);
            }
        }
        finally
        {
            // Also after the early returns: cancelling a never-sent create changed the view (S1).
            Fire(events);
        }

        KickAfterChange();
    }

    private static bool IsUnsetKey(SyncKeyKind kind, string key) => kind switch
    {
        SyncKeyKind.String => key.Length == 0,
        SyncKeyKind.Guid => key.Length == 0 || key == "00000000-0000-0000-0000-000000000000",
        _ => key.Length == 0 || key == "0",
    };

    /// <summary>Makes a new optimistic key (S2); numeric counters come from the store, so they are never reused.</summary>
    private string NewOptimisticKey<TEntity>()
        where TEntity : class, ISyncEntity<TEntity> => TEntity.KeyKind switch
        {
            SyncKeyKind.String => OptimisticKeys.NewString(TimeProvider),
            SyncKeyKind.Guid => SyncKeys.Format(OptimisticKeys.NewGuid(TimeProvider)),
            _ => SyncKeys.Format(OptimisticKeys.FromCounter(_store.NextOptimisticCounter(TEntity.ResourceName))),
        };

    private QueuedMutation? FindByAppKey(string? appKey, ResourceRuntime runtime, MutationKind kind)
    {
        if (appKey is null || !_queue.TryGetByAppKey(appKey, out QueuedMutation? first))
        {
            return null;
        }

        // An update merged into a create answers to the update's key too.
        if (first.Resource != runtime || (first.Kind != kind && !(kind == MutationKind.Update && first.Kind == MutationKind.Create)))
        {
            throw new InvalidOperationException($"The idempotency key '{appKey}' is already used by a queued {IdempotencyKeys.KindToken(first.Kind)} of '{first.Resource.Name}'; use one key per operation.");
        }

        return first;
    }

    /// <summary>Durably appends <paramref name="mutation"/> and indexes it; call under the lock.</summary>
    private void Enqueue(QueuedMutation mutation, QueuedMutation[]? dependencies)
    {
        _store.Append(mutation.ToStored());
        _sequence.Used(mutation.Sequence);
        if (dependencies is not null)
        {
            mutation.SetDependencies(dependencies);
        }

        _queue.Append(mutation);
        SyncTelemetry.Count(Telemetry.Queued, mutation.Resource.Name);
        Telemetry.QueueChanged(1);
        Log.Queued(_logger, mutation.Kind, mutation.Resource.Name, mutation.Key, mutation.Sequence);
    }

    /// <summary>Removes every queued mutation of an object, newest first.</summary>
    private void RemoveObject(ObjectEntry entry)
    {
        QueuedMutation[] mutations = entry.ToArray();
        var sequences = new long[mutations.Length];
        for (int i = 0; i < mutations.Length; i++)
        {
            sequences[i] = mutations[i].Sequence;
        }

        _store.Remove(sequences);
        for (int i = mutations.Length - 1; i >= 0; i--)
        {
            Unqueue(mutations[i], discardInView: true);
        }
    }

    private void DropUpdates(List<QueuedMutation> drop)
    {
        _store.Remove(drop.ConvertAll(static m => m.Sequence));
        for (int i = drop.Count - 1; i >= 0; i--)
        {
            Unqueue(drop[i], discardInView: true);
        }
    }

    /// <summary>
    /// S7: checks there is room for one more mutation, or throws without changing anything. Returns the
    /// mutation <see cref="QueueFullPolicy.DropOldest"/> drops for it, or <see langword="null"/>.
    /// </summary>
    private QueuedMutation? MakeRoom()
    {
        if (_queue.Count < _options.MaxQueueSize)
        {
            return null;
        }

        if (_options.QueueFullPolicy == QueueFullPolicy.Reject || _queue.OldestNotInFlight() is not { } oldest)
        {
            throw new SyncQueueFullException(_options.MaxQueueSize);
        }

        return oldest;
    }

    /// <summary>
    /// S7: drops the mutation <see cref="MakeRoom"/> chose, once the new one is stored: a crash in between
    /// leaves one mutation too many, never the oldest dropped for a call that did not return (S4).
    /// </summary>
    private void DropOldest(QueuedMutation? oldest, EngineEvents events)
    {
        if (oldest is null)
        {
            return;
        }

        PendingMutation snapshot = oldest.ToPending(_idMap);
        Log.Dropped(_logger, _options.MaxQueueSize, oldest.Sequence, oldest.Kind, oldest.Resource.Name, snapshot.Key);
        _store.Remove([oldest.Sequence]);
        Unqueue(oldest, discardInView: true);
        events.Add(new MutationDroppedEventArgs(snapshot with { Status = oldest.Status }));
        if (oldest.Kind == MutationKind.Create)
        {
            // Nothing can be sent that references an item the server will never have (S9).
            _failures.FailDependents(oldest, events);
        }
    }

    /// <summary>Takes a mutation out of the queue (the store is updated by the caller) and, when asked, out of the view.</summary>
    internal void Unqueue(QueuedMutation mutation, bool discardInView)
    {
        _queue.Remove(mutation);
        Telemetry.QueueChanged(-1);
        if (discardInView)
        {
            if (mutation.Absorbed is { } absorbed)
            {
                for (int i = absorbed.Count - 1; i >= 0; i--)
                {
                    mutation.Resource.Discard(absorbed[i]);
                }
            }

            mutation.Resource.Discard(mutation.Sequence);
        }
    }

    private void KickAfterChange()
    {
        if (_options.AutoSync && Volatile.Read(ref _online))
        {
            _drain.Kick();
        }
    }
}
