namespace OfflineSync;

/// <summary>What the app does with the queue: inspect, retry, discard, clear; and mappings learned from the feed.</summary>
internal sealed partial class SyncEngine
{
    /// <summary>Lists the queued mutations in queue order with status, attempts, last error and reason (S9).</summary>
    public IReadOnlyList<PendingMutation> GetPending()
    {
        lock (Gate)
        {
            List<QueuedMutation> mutations = _queue.ToList();
            var pending = new PendingMutation[mutations.Count];
            for (int i = 0; i < pending.Length; i++)
            {
                pending[i] = mutations[i].ToPending(_idMap);
            }

            return pending;
        }
    }

    /// <summary>
    /// Sends a failed mutation again (S9): a permanently failed one gets a fresh set of attempts, and the
    /// mutations that failed only because of it are revived with it; a transiently failed one is retried now.
    /// </summary>
    public Task<bool> RetryAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool found;
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            found = _queue.TryGet(id, out QueuedMutation? mutation);
            if (found && mutation!.Status == MutationStatus.PermanentlyFailed)
            {
                _failures.Revive(mutation);
            }
        }

        if (found)
        {
            _drain.RetryNow();
        }

        return Task.FromResult(found);
    }

    /// <summary>
    /// Drops a mutation and its local change (S9). When it is a create, the item leaves the view and what
    /// depends on it fails. Waits for an in-flight push to settle first.
    /// </summary>
    public async Task<bool> DiscardAsync(long id, CancellationToken cancellationToken)
    {
        var events = new EngineEvents();
        await _drain.PushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (Gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_queue.TryGet(id, out QueuedMutation? mutation))
                {
                    return false;
                }

                _store.Remove([mutation.Sequence]);
                Unqueue(mutation, discardInView: true);
                if (mutation.Kind == MutationKind.Create)
                {
                    // Nothing can be sent that references an item the server will never have (S9).
                    _failures.FailDependents(mutation, events);
                }
            }
        }
        finally
        {
            _drain.PushGate.Release();
        }

        Fire(events);
        _drain.RetryNow();
        return true;
    }

    /// <summary>Discards the whole queue and the local overlay; keeps the ID map (mappings stay true). Waits for an in-flight push.</summary>
    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await _drain.PushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (Gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                List<QueuedMutation> mutations = _queue.ToList();
                _store.Clear();
                for (int i = mutations.Count - 1; i >= 0; i--)
                {
                    QueuedMutation mutation = mutations[i];
                    if (mutation.Absorbed is { } absorbed)
                    {
                        foreach (long sequence in absorbed)
                        {
                            mutation.Resource.Discard(sequence);
                        }
                    }

                    mutation.Resource.Discard(mutation.Sequence);
                }

                _queue.Clear();
                Telemetry.QueueChanged(-mutations.Count);
            }
        }
        finally
        {
            _drain.PushGate.Release();
        }

        Notifications.Flush();
    }

    /// <summary>Resolves an optimistic key through the ID map (S3).</summary>
    public bool TryResolve(int typeId, string optimisticKey, out string? serverKey)
    {
        lock (Gate)
        {
            return _idMap.TryResolve(typeId, optimisticKey, out serverKey);
        }
    }

    /// <summary>
    /// A view learned a mapping from a feed event or list row that carries this client's id and the origin
    /// optimistic key of its row (S3, S15): whichever of the feed and the push answer arrives first records it;
    /// the other is a no-op. Only a create of exactly that key still in the queue is confirmed so.
    /// </summary>
    internal void OnMappingLearned(IdMapping mapping)
    {
        var events = new EngineEvents();
        lock (Gate)
        {
            if (_disposed || !_idMap.TryGetTypeId(mapping.Resource, out int typeId)
                || _queue.FindObject(typeId, mapping.OptimisticKey)?.Create?.Key != mapping.OptimisticKey)
            {
                return;
            }

            if (!RecordMapping(typeId, mapping))
            {
                return;
            }

            _store.AddMapping(mapping);
            PublishMapping(mapping, events);
        }

        Fire(events);
    }

    /// <summary>
    /// Records a new mapping in the ID map and the queue: the object is indexed under its server key (S3); the
    /// mutations that reference the create are remapped once it leaves the queue (see <see cref="Confirm"/>).
    /// Returns <see langword="false"/> when the mapping was known. Call under the lock.
    /// </summary>
    internal bool RecordMapping(int typeId, IdMapping mapping)
    {
        if (!_idMap.Add(typeId, mapping.OptimisticKey, mapping.ServerKey))
        {
            return false;
        }

        _queue.Rekey(typeId, mapping.OptimisticKey, mapping.ServerKey);
        return true;
    }

    /// <summary>Tells every view of a new mapping (S3, S13) and raises <c>IdRemapped</c> once. Call under the lock.</summary>
    internal void PublishMapping(IdMapping mapping, EngineEvents events)
    {
        foreach (ResourceRuntime resource in _resources)
        {
            resource.ApplyMapping(mapping);
        }

        SyncTelemetry.Count(Telemetry.Remaps, mapping.Resource);
        Log.Remapped(_logger, mapping.Resource, mapping.OptimisticKey, mapping.ServerKey);
        if (IdRemapped is not null)
        {
            events.Add(new IdRemappedEventArgs(mapping.Resource, mapping.OptimisticKey, mapping.ServerKey));
        }
    }

    /// <inheritdoc/>
    PendingMutation IConflictHost.Describe(QueuedMutation mutation) => mutation.ToPending(_idMap);

    /// <inheritdoc/>
    void IConflictHost.Persist(QueuedMutation mutation) => _store.Update(mutation.ToStored());

    /// <inheritdoc/>
    void IConflictHost.Fail(QueuedMutation mutation, FailureReason reason, string? error, EngineEvents events) =>
        _failures.Fail(mutation, reason, error, events);

    /// <inheritdoc/>
    void IConflictHost.Drop(QueuedMutation mutation, EngineEvents events)
    {
        _store.Remove([mutation.Sequence]);
        Unqueue(mutation, discardInView: true);
        if (mutation.Kind == MutationKind.Create)
        {
            _failures.FailDependents(mutation, events);
        }
    }

    /// <inheritdoc/>
    void IConflictHost.ShowServerRow(QueuedMutation mutation, string? version, ReadOnlyMemory<byte> state) =>
        mutation.Resource.SetServerRow(mutation.CurrentKey(_idMap), version, state);

    /// <inheritdoc/>
    void IConflictHost.Replace(QueuedMutation mutation, object data, ReadOnlyMemory<byte> serverState) =>
        mutation.Resource.Replace(mutation, data, serverState, _idMap, _queue);

    /// <inheritdoc/>
    void IConflictHost.Resume() => _drain.Kick();
}
