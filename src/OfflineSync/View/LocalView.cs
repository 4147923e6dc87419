using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>
/// The local view of one resource: server rows plus an overlay of pending local changes keyed by
/// queue sequence. An item is shown as its server row with the pending changes re-applied on top,
/// in queue order (S17); a pending delete hides it whatever the feed says (S16); a pending create
/// shows until its row arrives, then the row replaces it under the server key (S18).
/// </summary>
/// <remarks>
/// Thread-safe: the engine, the feed follower and readers may call it from any thread. Every
/// mutation happens under one lock; events (<see cref="Changed"/>, <see cref="MappingLearned"/>,
/// <see cref="StatusChanged"/>) are raised after the lock is released, and <see cref="Changed"/>, for a
/// change the engine makes under its own lock, only once that lock is released too (<see cref="ViewNotifications"/>).
/// Items handed out are never changed afterwards: rewriting an entity replaces it with a copy.
/// </remarks>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed partial class LocalView<TEntity> : ILocalView<TEntity>, IDeferredNotification
    where TEntity : class, ISyncEntity<TEntity>
{
    private readonly Lock _gate = new();
    private readonly ViewNotifications? _notifications;
    private int _notificationHeld;
    private readonly SortedDictionary<string, ServerRow<TEntity>> _rows = new(KeyOrder.For(TEntity.KeyKind));
    private readonly SortedDictionary<long, PendingChange<TEntity>> _overlay = new();

    // Written only through SetChange and RemoveChange, which keep the index in step.
    private readonly OverlayIndex<TEntity> _index = new();

    // Rows built from a local entity (a create confirmed without a state): the only rows that may hold
    // keys a mapping rewrites, since the server never stores an optimistic key.
    private readonly HashSet<string> _localRows = new(StringComparer.Ordinal);

    // Optimistic key → server key of this resource, so TryGet and new changes still find a re-keyed item (S3).
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    // Every resource's mappings: references in changes queued after a mapping are rewritten on arrival (S3, S13).
    private readonly MappingTable _mappings = new();

    // Rows the view stored while a list was on its way (BeginList to ReplaceServerRows): the list may
    // predate them, so it must neither drop them nor put an older state in their place (S18).
    private HashSet<string>? _storedDuringList;

    // Rows whose delete the server confirmed: a late event from before the delete must not show them again (S16).
    private readonly HashSet<string> _tombstones = new(StringComparer.Ordinal);

    private Snapshot? _snapshot;
    private SyncSetStatus _status = SyncSetStatus.Loading;

    /// <summary>Creates the view of one client.</summary>
    /// <param name="clientId">The client's id: only rows whose origin carries it confirm this view's creates (S3).</param>
    /// <param name="notifications">The engine's holder of notifications raised under its lock, or <see langword="null"/> to raise them at once.</param>
    public LocalView(string clientId, ViewNotifications? notifications = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ClientId = clientId;
        _notifications = notifications;
    }

    /// <summary>Raised after the visible items may have changed.</summary>
    internal event Action? Changed;

    /// <summary>
    /// Raised when a feed event or list row carrying an origin optimistic key confirms the mapping of
    /// an item this view holds under that key (S3, S15). The view has already re-keyed the item; the
    /// engine stores the mapping, fires <c>IdRemapped</c> and calls <see cref="ApplyMapping"/> on every view.
    /// </summary>
    internal event Action<IdMapping>? MappingLearned;

    /// <summary>Raised when <see cref="Status"/> changes.</summary>
    internal event Action? StatusChanged;

    /// <summary>
    /// Raised when only a fresh list can tell whether a row exists: a create confirmed after a list
    /// that did not hold its row (see <see cref="PendingChange{TEntity}.ListedWithoutRow"/>).
    /// </summary>
    internal event Action? RefetchRequested;

    /// <summary>Gets the id of the client the view belongs to; lists and feeds are requested for it.</summary>
    internal string ClientId { get; }

    /// <summary>Gets the state of the feed that fills the view.</summary>
    internal SyncSetStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Gets the number of local changes the server has not confirmed yet.</summary>
    internal int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _overlay.Count;
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TEntity> Items
    {
        get
        {
            lock (_gate)
            {
                return CurrentSnapshot().Items;
            }
        }
    }

    /// <inheritdoc/>
    public void AddCreate(long sequence, TEntity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        TEntity owned = item;
        lock (_gate)
        {
            owned = ReferenceRewriter.Rewrite(owned, _mappings);
            string origin = TEntity.GetKey(owned);

            // A create restored after its mapping (the feed confirmed it, the push answer was lost with the
            // process) is keyed as LearnMapping would have re-keyed it, so both keys still find it (S3). The feed or a
            // list saw its row then, so they are its truth, as before the restart: the replayed push answer must not
            // bring back a row the feed removed since (S16), whether the set lists again or resumes (S15).
            string key = Resolve(origin);
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Create, key, WithKey(owned, key), null) { Origin = origin, Acknowledged = key != origin });
            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public TEntity AddUpdate(long sequence, string key, ISyncPatch<TEntity> patch)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(patch);
        ISyncPatch<TEntity> owned = patch;
        TEntity? shown;
        string resolved;
        lock (_gate)
        {
            resolved = Resolve(key);
            owned = ReferenceRewriter.Rewrite(owned, _mappings);
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Update, resolved, null, owned));
            _snapshot = null;
            shown = ComputeVisible(resolved);
        }

        NotifyChanged();

        // A replay after a restart runs before the refetch: the row is not loaded yet, so the answer is
        // the patch on an empty item; the view shows the real row with the patch once the list arrives.
        if (shown is null)
        {
            shown = EntityJson<TEntity>.Empty(resolved);
            owned.ApplyTo(shown);
        }

        return shown;
    }

    /// <inheritdoc/>
    public void AddDelete(long sequence, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Delete, Resolve(key), null, null));
            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public void ReplaceUpdate(long sequence, ISyncPatch<TEntity> mergedPatch)
    {
        ArgumentNullException.ThrowIfNull(mergedPatch);
        ISyncPatch<TEntity> owned = EntityJson<TEntity>.Clone(mergedPatch);
        lock (_gate)
        {
            if (!_overlay.TryGetValue(sequence, out PendingChange<TEntity>? change) || change.Kind != MutationKind.Update)
            {
                return;
            }

            SetChange(sequence, change with { Patch = ReferenceRewriter.Rewrite(owned, _mappings) });
            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public void Confirm(long sequence, string serverKey, string? version, ReadOnlyMemory<byte> state)
    {
        ArgumentNullException.ThrowIfNull(serverKey);
        bool refetch = false;
        lock (_gate)
        {
            RemoveChange(sequence, out PendingChange<TEntity>? change);
            switch (change?.Kind)
            {
                case MutationKind.Create:
                    if (change.Key != serverKey)
                    {
                        // The engine records the mapping and calls ApplyMapping on every view; re-keying here
                        // as well means no reader ever sees the item twice in between (S18).
                        LearnMapping(new IdMapping(TEntity.ResourceName, change.Key, serverKey));
                    }

                    // Once the feed or a list showed the row, they are its truth: a late answer must not
                    // bring back a row the feed removed since (S16).
                    if (!change.Acknowledged)
                    {
                        refetch = change.ListedWithoutRow;
                        if (state.IsEmpty || !EntityJson<TEntity>.TryReadRow(state, serverKey, version, out TEntity? created))
                        {
                            refetch |= !state.IsEmpty;
                            created = WithKey(change.Entity!, serverKey);
                            _localRows.Add(serverKey);
                        }

                        PutRow(serverKey, new ServerRow<TEntity>(created, version, change.Origin), ordered: true);
                    }

                    break;
                case MutationKind.Delete:
                    // Events older than the delete may still be on their way; a row the view does not hold has none coming.
                    if (_rows.Remove(Resolve(serverKey)) | _rows.Remove(change.Key))
                    {
                        _tombstones.Add(Resolve(serverKey));
                    }

                    break;
                default:
                    // An update: the answer is the row as the server stores it. Only a row the view holds
                    // takes it; a row the feed removed meanwhile stays removed.
                    string key = Resolve(serverKey);
                    if (!state.IsEmpty && _rows.TryGetValue(key, out ServerRow<TEntity>? held))
                    {
                        if (EntityJson<TEntity>.TryReadRow(state, key, version, out TEntity? updated))
                        {
                            PutRow(key, held with { Entity = updated, Version = version }, ordered: true);
                        }
                        else
                        {
                            refetch = true;
                        }
                    }

                    break;
            }

            _snapshot = null;
        }

        if (refetch)
        {
            RefetchRequested?.Invoke();
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public void Discard(long sequence)
    {
        lock (_gate)
        {
            if (!RemoveChange(sequence, out _))
            {
                return;
            }

            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    /// <remarks>Only a row the view holds is replaced: the list and the feed decide which rows exist.</remarks>
    public void SetServerRow(string key, string? version, ReadOnlyMemory<byte> state)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool refetch = false;
        lock (_gate)
        {
            string resolved = Resolve(key);
            if (!_rows.TryGetValue(resolved, out ServerRow<TEntity>? held))
            {
                return;
            }

            if (state.IsEmpty)
            {
                _rows.Remove(resolved);
            }
            else if (EntityJson<TEntity>.TryReadRow(state, resolved, version, out TEntity? current))
            {
                PutRow(resolved, held with { Entity = current, Version = version }, ordered: true);
            }
            else
            {
                refetch = true;
            }

            _snapshot = null;
        }

        if (refetch)
        {
            RefetchRequested?.Invoke();
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public void ApplyMapping(IdMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        lock (_gate)
        {
            if (!LearnMapping(mapping))
            {
                return;
            }
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public bool TryGet(string key, [NotNullWhen(true)] out TEntity? item)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            string resolved = Resolve(key);
            if (_snapshot is not null)
            {
                return _snapshot.ByKey.TryGetValue(resolved, out item);
            }

            item = ComputeVisible(resolved);
            return item is not null;
        }
    }

    /// <inheritdoc/>
    public string? GetServerVersion(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            return _rows.GetValueOrDefault(Resolve(key))?.Version;
        }
    }

    /// <summary>Sets the feed status; the follower calls it.</summary>
    internal void SetStatus(SyncSetStatus status)
    {
        lock (_gate)
        {
            if (_status == status)
            {
                return;
            }

            _status = status;
        }

        if (_notifications is null)
        {
            StatusChanged?.Invoke();
            return;
        }

        _notifications.Raise(StatusChanged);
    }

    private string Resolve(string key) => _aliases.GetValueOrDefault(key, key);

    /// <summary>Raises <see cref="Changed"/> through the engine's <see cref="ViewNotifications"/>: now, or once the engine releases its lock.</summary>
    private void NotifyChanged()
    {
        if (_notifications is null)
        {
            Changed?.Invoke();
            return;
        }

        _notifications.Notify(this);
    }

    bool IDeferredNotification.MarkPending() => Interlocked.Exchange(ref _notificationHeld, 1) == 0;

    void IDeferredNotification.ClearPending() => Volatile.Write(ref _notificationHeld, 0);

    void IDeferredNotification.RaiseChanged() => Changed?.Invoke();

    /// <summary>
    /// Records a mapping: aliases and re-keys this resource's overlay entries, and rewrites reference
    /// slots of every item and pending change that point at the mapped key. Returns whether anything
    /// was new. Caller holds the lock.
    /// </summary>
    private bool LearnMapping(IdMapping mapping)
    {
        if (mapping.OptimisticKey == mapping.ServerKey || !_mappings.Add(mapping))
        {
            return false;
        }

        if (mapping.Resource == TEntity.ResourceName)
        {
            _aliases[mapping.OptimisticKey] = mapping.ServerKey;
            if (_rows.Remove(mapping.OptimisticKey, out ServerRow<TEntity>? stray) && !_rows.ContainsKey(mapping.ServerKey))
            {
                PutRow(mapping.ServerKey, stray with { Entity = WithKey(stray.Entity, mapping.ServerKey) }, ordered: false);
                _localRows.Add(mapping.ServerKey);
            }
        }

        MappingTable single = MappingTable.Of(mapping);
        foreach (long sequence in _index.Mentioning(mapping))
        {
            PendingChange<TEntity> change = _overlay[sequence];
            PendingChange<TEntity> rewritten = change;
            if (mapping.Resource == TEntity.ResourceName && change.Key == mapping.OptimisticKey)
            {
                rewritten = rewritten with
                {
                    Key = mapping.ServerKey,
                    Entity = change.Entity is null ? null : WithKey(change.Entity, mapping.ServerKey),
                };
            }

            if (rewritten.Entity is not null)
            {
                rewritten = rewritten with { Entity = ReferenceRewriter.Rewrite(rewritten.Entity, single) };
            }

            if (rewritten.Patch is not null)
            {
                rewritten = rewritten with { Patch = ReferenceRewriter.Rewrite(rewritten.Patch, single) };
            }

            if (!ReferenceEquals(rewritten, change))
            {
                SetChange(sequence, rewritten);
            }
        }

        _localRows.RemoveWhere(key => !_rows.ContainsKey(key));
        foreach (string key in _localRows)
        {
            ServerRow<TEntity> row = _rows[key];
            TEntity entity = ReferenceRewriter.Rewrite(row.Entity, single);
            if (!ReferenceEquals(entity, row.Entity))
            {
                _rows[key] = row with { Entity = entity };
            }
        }

        _snapshot = null;
        return true;
    }

    /// <summary>Writes an overlay entry and its index entries. Caller holds the lock.</summary>
    private void SetChange(long sequence, PendingChange<TEntity> change)
    {
        if (_overlay.TryGetValue(sequence, out PendingChange<TEntity>? old))
        {
            _index.Remove(sequence, old);
        }

        _overlay[sequence] = change;
        _index.Add(sequence, change);
    }

    /// <summary>Removes an overlay entry and its index entries. Caller holds the lock.</summary>
    private bool RemoveChange(long sequence, [NotNullWhen(true)] out PendingChange<TEntity>? change)
    {
        if (!_overlay.Remove(sequence, out change))
        {
            return false;
        }

        _index.Remove(sequence, change);
        return true;
    }

    private static TEntity WithKey(TEntity entity, string key)
    {
        if (TEntity.GetKey(entity) == key)
        {
            return entity;
        }

        TEntity copy = EntityJson<TEntity>.Clone(entity);
        TEntity.SetKey(copy, key);
        return copy;
    }

    /// <summary>Stores a row; with <paramref name="ordered"/>, a state known to be older than the held one is ignored.</summary>
    private void PutRow(string key, ServerRow<TEntity> row, bool ordered)
    {
        if (ordered && _rows.TryGetValue(key, out ServerRow<TEntity>? held) && VersionOrder.IsOlder(row.Version, held.Version))
        {
            return;
        }

        _rows[key] = row;
        _storedDuringList?.Add(key);
    }

    /// <summary>Computes the visible item of one key from its row and its pending changes. Caller holds the lock.</summary>
    private TEntity? ComputeVisible(string key)
    {
        TEntity? current = _rows.GetValueOrDefault(key)?.Entity;
        bool copied = false;
        foreach (long sequence in _index.WithKey(key))
        {
            Apply(_overlay[sequence], ref current, ref copied);
        }

        return current;
    }

    /// <summary>Applies one pending change on top of the item as the changes before it left it (S16, S17).</summary>
    private static void Apply(PendingChange<TEntity> change, ref TEntity? current, ref bool copied)
    {
        switch (change.Kind)
        {
            case MutationKind.Create:
                // Once the server row exists it is the base (S18); the create only shows without one,
                // and never again once the server was seen holding it.
                if (current is null && !change.Acknowledged)
                {
                    current = change.Entity;
                    copied = false;
                }

                break;
            case MutationKind.Update:
                if (current is not null)
                {
                    if (!copied)
                    {
                        current = EntityJson<TEntity>.Clone(current);
                        copied = true;
                    }

                    change.Patch!.ApplyTo(current);
                }

                break;
            case MutationKind.Delete:
                current = null;
                copied = false;
                break;
        }
    }

    /// <summary>Returns the cached snapshot, building it when a change dropped it. Caller holds the lock.</summary>
    private Snapshot CurrentSnapshot()
    {
        if (_snapshot is not null)
        {
            return _snapshot;
        }

        // Group pending changes by key, keeping queue order within a key and first-seen order across keys.
        var pending = new Dictionary<string, List<PendingChange<TEntity>>>(StringComparer.Ordinal);
        var createdOrder = new List<string>();
        foreach (PendingChange<TEntity> change in _overlay.Values)
        {
            if (!pending.TryGetValue(change.Key, out List<PendingChange<TEntity>>? changes))
            {
                pending[change.Key] = changes = new List<PendingChange<TEntity>>();
                if (!_rows.ContainsKey(change.Key))
                {
                    createdOrder.Add(change.Key);
                }
            }

            changes.Add(change);
        }

        var items = new List<TEntity>(_rows.Count + createdOrder.Count);
        var byKey = new Dictionary<string, TEntity>(items.Capacity, StringComparer.Ordinal);
        foreach ((string key, ServerRow<TEntity> row) in _rows)
        {
            TEntity? visible = row.Entity;
            if (pending.TryGetValue(key, out List<PendingChange<TEntity>>? changes))
            {
                bool copied = false;
                foreach (PendingChange<TEntity> change in changes)
                {
                    Apply(change, ref visible, ref copied);
                }
            }

            if (visible is not null)
            {
                items.Add(visible);
                byKey[key] = visible;
            }
        }

        // Items the server does not hold yet: pending creates, shown after the rows in queue order.
        foreach (string key in createdOrder)
        {
            TEntity? visible = null;
            bool copied = false;
            foreach (PendingChange<TEntity> change in pending[key])
            {
                Apply(change, ref visible, ref copied);
            }

            if (visible is not null)
            {
                items.Add(visible);
                byKey[key] = visible;
            }
        }

        _snapshot = new Snapshot(new ReadOnlyCollection<TEntity>(items), byKey);
        return _snapshot;
    }

    private sealed record Snapshot(IReadOnlyList<TEntity> Items, Dictionary<string, TEntity> ByKey);
}
