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

            // References to items confirmed already take their server keys now (S3); the rest are dependencies (S5).
            var remap = new RemappingVisitor(_idMap);
            TEntity.VisitReferences(item, ref remap);
            var dependencies = new DependencyVisitor(_queue);
            TEntity.VisitReferences(item, ref dependencies);

            long sequence = _lastSequence + 1;
            ObjectEntry entry = _queue.GetOrAddObject(runtime.TypeId, key);
            string idempotency = TEntity.CreateIdempotencyKey(MutationKind.Create, key, ClientId, sequence);
            byte[] payload = ResourceModel<TEntity>.SerializeEntity(item);
            var mutation = new QueuedMutation(sequence, runtime, MutationKind.Create, entry, key, payload, idempotency, idempotency, TimeProvider.GetUtcNow())
            {
                AppIdempotencyKey = idempotencyKey,
            };

            Enqueue(mutation, dependencies.Creates);
            _queue.SetPendingCreate(mutation);

            // The view's own copy is read back from the payload: the app keeps its instance.
            runtime.View.AddCreate(sequence, ResourceModel<TEntity>.DeserializeEntity(payload));
            FailIfDependencyFailed(mutation, events);
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
            if (entry?.Last is { Untouched: true } last && last.Kind != MutationKind.Delete && AllBefore(dependencies.Creates, last.Sequence))
            {
                result = Coalesce(runtime, last, resolved, patch, dependencies.Creates, idempotencyKey);
            }
            else
            {
                QueuedMutation? oldest = MakeRoom();
                entry = _queue.GetOrAddObject(runtime.TypeId, resolved);
                long sequence = _lastSequence + 1;
                string idempotency = TEntity.CreateIdempotencyKey(MutationKind.Update, resolved, ClientId, sequence);
                bool afterPrevious = entry.Mutations.Count > 0;
                byte[] payload = ResourceModel<TEntity>.SerializePatch(patch);
                var mutation = new QueuedMutation(sequence, runtime, MutationKind.Update, entry, entry.Key, payload, idempotency, idempotency, TimeProvider.GetUtcNow())
                {
                    Patch = patch,
                    AppIdempotencyKey = idempotencyKey,
                    BaseFromPrevious = afterPrevious,
                    BaseVersion = afterPrevious ? null : runtime.View.GetServerVersion(resolved),
                };

                Enqueue(mutation, dependencies.Creates);
                result = runtime.View.AddUpdate(sequence, resolved, ResourceModel<TEntity>.ReadPatch(payload));
                FailIfDependencyFailed(mutation, events);
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

                if (entry is not null && CancelsNeverSentCreate(entry))
                {
                    // S6: create + delete of an item the server never saw: both go, nothing is sent.
                    RemoveObject(entry);
                    return;
                }

                List<QueuedMutation>? drop = entry is null ? null : PendingUpdates(entry);
                QueuedMutation? oldest = drop is null ? MakeRoom() : null;

                entry = _queue.GetOrAddObject(runtime.TypeId, resolved);
                long sequence = _lastSequence + 1;
                string idempotency = TEntity.CreateIdempotencyKey(MutationKind.Delete, resolved, ClientId, sequence);
                bool afterPrevious = entry.Mutations.Count > (drop?.Count ?? 0);
                var mutation = new QueuedMutation(sequence, runtime, MutationKind.Delete, entry, entry.Key, ReadOnlyMemory<byte>.Empty, idempotency, idempotency, TimeProvider.GetUtcNow())
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

                FailIfDependencyFailed(mutation, events);
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

    private static bool AllBefore(List<QueuedMutation>? creates, long sequence)
    {
        if (creates is not null)
        {
            foreach (QueuedMutation create in creates)
            {
                if (create.Sequence > sequence)
                {
                    return false;
                }
            }
        }

        return true;
    }

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
    private void Enqueue(QueuedMutation mutation, List<QueuedMutation>? dependencies)
    {
        _store.Append(mutation.ToStored());
        _lastSequence = mutation.Sequence;
        if (dependencies is not null)
        {
            foreach (QueuedMutation create in dependencies)
            {
                mutation.AddDependency(create);
            }
        }

        _queue.Append(mutation);
        SyncTelemetry.Count(Telemetry.Queued, mutation.Resource.Name);
        Telemetry.QueueChanged(1);
        Log.Queued(_logger, mutation.Kind, mutation.Resource.Name, mutation.Key, mutation.Sequence);
    }

    /// <summary>
    /// S6: merges an update into the object's last mutation, which was never sent and is queued after
    /// everything the update references (so S5 still holds).
    /// </summary>
    private TEntity Coalesce<TEntity>(ResourceRuntime<TEntity> runtime, QueuedMutation target, string key, ISyncPatch<TEntity> patch, List<QueuedMutation>? dependencies, string? appKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        TEntity result;
        if (target.Kind == MutationKind.Update)
        {
            ISyncPatch<TEntity> merged = ((ISyncPatch<TEntity>)target.Patch!).Merge(patch);
            target.Patch = merged;
            target.Payload = ResourceModel<TEntity>.SerializePatch(merged);
            _store.Update(target.ToStored());
            runtime.View.ReplaceUpdate(target.Sequence, merged);
            result = runtime.View.TryGet(key, out TEntity? shown) ? shown : throw new KeyNotFoundException($"No {TEntity.ResourceName} item has the key '{key}'.");
        }
        else
        {
            // Folded into the create: one payload for the server, and the view keeps the update as its own
            // overlay entry, settled together with the create.
            TEntity entity = ResourceModel<TEntity>.DeserializeEntity(target.Payload.Span);
            patch.ApplyTo(entity);
            target.Payload = ResourceModel<TEntity>.SerializeEntity(entity);
            _store.Update(target.ToStored());
            long overlaySequence = ++_lastSequence;
            (target.Absorbed ??= new List<long>(1)).Add(overlaySequence);
            result = runtime.View.AddUpdate(overlaySequence, key, EntityJson<TEntity>.Clone(patch));
        }

        if (dependencies is not null)
        {
            foreach (QueuedMutation create in dependencies)
            {
                if (target.DependsOn?.Contains(create) != true)
                {
                    target.AddDependency(create);
                }
            }
        }

        if (appKey is not null)
        {
            (target.MergedAppKeys ??= new List<string>(1)).Add(appKey);
            _queue.IndexAppKey(appKey, target);
        }

        return result;
    }

    /// <summary>Whether a delete cancels the object's create: never sent, nothing else of it sent, nothing else references it.</summary>
    private static bool CancelsNeverSentCreate(ObjectEntry entry)
    {
        if (entry.Create is not { Untouched: true } create || !ReferenceEquals(entry.Mutations[0], create))
        {
            return false;
        }

        foreach (QueuedMutation mutation in entry.Mutations)
        {
            if (!mutation.Untouched)
            {
                return false;
            }
        }

        if (create.Dependents is { } dependents)
        {
            foreach (QueuedMutation dependent in dependents)
            {
                if (!dependent.Removed && !ReferenceEquals(dependent.Object, entry))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Removes every queued mutation of an object, newest first.</summary>
    private void RemoveObject(ObjectEntry entry)
    {
        QueuedMutation[] mutations = entry.Mutations.ToArray();
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

    /// <summary>S6: the object's updates that are not in flight, which a delete drops; <see langword="null"/> when there are none.</summary>
    private static List<QueuedMutation>? PendingUpdates(ObjectEntry entry)
    {
        List<QueuedMutation>? drop = null;
        foreach (QueuedMutation mutation in entry.Mutations)
        {
            if (mutation.Kind == MutationKind.Update && mutation.Status != MutationStatus.InFlight)
            {
                (drop ??= new List<QueuedMutation>()).Add(mutation);
            }
        }

        return drop;
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
            FailDependents(oldest, events);
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

    /// <summary>A new mutation that depends on a permanently failed one fails at once (S9).</summary>
    private void FailIfDependencyFailed(QueuedMutation mutation, EngineEvents events)
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
            failed = creates.Find(static c => c.Status == MutationStatus.PermanentlyFailed);
        }

        if (failed is not null)
        {
            FailPermanently(mutation, FailureReason.DependencyFailed, DependencyError(failed), events);
        }
    }

    private static string DependencyError(QueuedMutation failed) =>
        $"It depends on mutation {failed.Sequence} ({IdempotencyKeys.KindToken(failed.Kind)} of {failed.Resource.Name} {failed.Key}), which failed.";

    /// <summary>
    /// Fails a mutation for good and, transitively, every later mutation of the same object and every
    /// mutation that references the optimistic key of a failed create (S9, F2); call under the lock.
    /// </summary>
    internal void FailPermanently(QueuedMutation mutation, FailureReason reason, string? error, EngineEvents events)
    {
        MarkFailed(mutation, reason, error, events);
        FailDependents(mutation, events);
    }

    /// <summary>Fails what depends on <paramref name="root"/>, which failed or left the queue (S9).</summary>
    internal void FailDependents(QueuedMutation root, EngineEvents events)
    {
        var work = new Stack<QueuedMutation>();
        work.Push(root);
        while (work.TryPop(out QueuedMutation? failed))
        {
            foreach (QueuedMutation later in failed.Object.Mutations.ToArray())
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

    private static bool CanFailAsDependent(QueuedMutation mutation) =>
        !mutation.Removed && mutation.Status is not (MutationStatus.PermanentlyFailed or MutationStatus.InFlight);

    private void MarkFailed(QueuedMutation mutation, FailureReason reason, string? error, EngineEvents events)
    {
        mutation.Status = MutationStatus.PermanentlyFailed;
        mutation.FailureReason = reason;
        mutation.LastError = error;
        _queue.Park(mutation);
        _store.Update(mutation.ToStored());
        _drain.CountFailed();
        SyncTelemetry.Count(Telemetry.Failed, mutation.Resource.Name);
        PendingMutation snapshot = mutation.ToPending(_idMap);
        Log.FailedPermanently(_logger, mutation.Sequence, mutation.Kind, mutation.Resource.Name, snapshot.Key, reason, error);
        events.Add(new MutationFailedEventArgs(snapshot, reason, error));
    }

    private void KickAfterChange()
    {
        if (_options.AutoSync && Volatile.Read(ref _online))
        {
            _drain.Kick();
        }
    }
}
