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
    private readonly RowTable _rows = new(KeyOrder.For(TEntity.KeyKind));
    // By queue sequence; a snapshot sorts them, everything else finds them by sequence or through the index.
    private readonly Dictionary<long, PendingChange<TEntity>> _overlay = new();

    // Written only through SetChange and RemoveChange, which keep the index in step.
    private readonly OverlayIndex<TEntity> _index = new();

    // Rows built from a local entity (a create confirmed without a state) are the only rows that may hold keys a
    // mapping rewrites, since the server never stores an optimistic key: their keys by the open references their
    // create still held (PendingChange.OpenReferences), so a mapping finds them without walking the rows.
    private readonly Dictionary<(string Resource, string Key), HashSet<string>> _localRowsByReference = new();

    // Optimistic key → server key of this resource, so TryGet and new changes still find a re-keyed item (S3).
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    // Every resource's mappings (the engine's ID map, or the view's own table): references in changes queued after a
    // mapping are rewritten on arrival, and changes held as JSON take them when they are read (S3, S13).
    private readonly IMappingLookup _mappings;

    // A view made on its own records the mappings it learns here; an engine's ID map is filled by the engine.
    private readonly MappingTable? _ownMappings;

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
    /// <param name="mappings">The engine's mappings, or <see langword="null"/> for a table of the view's own.</param>
    public LocalView(string clientId, ViewNotifications? notifications = null, IMappingLookup? mappings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ClientId = clientId;
        _notifications = notifications;
        _ownMappings = mappings is null ? new MappingTable() : null;
        _mappings = mappings ?? _ownMappings!;
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

    /// <summary>Shows a new item at once (S1). Its key is already set (optimistic or proposed).</summary>
    /// <remarks>The view keeps <paramref name="item"/> itself: hand over an instance nobody else holds or changes.</remarks>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="item">The item.</param>
    /// <param name="openReferences">The keys its reference slots hold that a mapping may still rewrite; <see langword="null"/>: every key they hold.</param>
    public void AddCreate(long sequence, TEntity item, (string Resource, string Key)[]? openReferences = null)
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
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Create, key, WithKey(owned, key), null)
            {
                Origin = origin,
                Acknowledged = key != origin,
                OpenReferences = openReferences ?? OverlayIndex<TEntity>.ReferencesOf(owned, null),
            });
            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <inheritdoc/>
    public void AddCreate(long sequence, string key, ReadOnlyMemory<byte> json, (string Resource, string Key)[]? openReferences)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            // Restored after its mapping: keyed and acknowledged as in AddCreate(long, TEntity, ...) above (S3, S15, S16).
            string resolved = Resolve(key);
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Create, resolved, null, null)
            {
                Origin = key,
                Acknowledged = resolved != key,
                Json = json,
                OpenReferences = openReferences,
            });
            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <summary>Applies a patch on top of the item at once (S1) and keeps it in the overlay until it is settled (S17).</summary>
    /// <remarks>The view keeps <paramref name="patch"/> itself: hand over an instance nobody else holds or changes.</remarks>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="key">The item's key.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="openReferences">The keys its reference slots hold that a mapping may still rewrite; <see langword="null"/>: every key they hold.</param>
    /// <returns>The item as the view now shows it.</returns>
    public TEntity AddUpdate(long sequence, string key, ISyncPatch<TEntity> patch, (string Resource, string Key)[]? openReferences = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(patch);
        TEntity? shown;
        string resolved;
        lock (_gate)
        {
            resolved = Resolve(key);
            ISyncPatch<TEntity> owned = ReferenceRewriter.Rewrite(patch, _mappings);
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Update, resolved, null, owned)
            {
                OpenReferences = openReferences ?? OverlayIndex<TEntity>.ReferencesOf(null, owned),
            });
            _snapshot = null;
            shown = ShownAfterUpdate(sequence, resolved);
        }

        NotifyChanged();
        return shown;
    }

    /// <inheritdoc/>
    public TEntity AddUpdate(long sequence, string key, ReadOnlyMemory<byte> json, (string Resource, string Key)[]? openReferences, ISyncPatch<TEntity>? patch = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        TEntity? shown;
        lock (_gate)
        {
            string resolved = Resolve(key);
            SetChange(sequence, new PendingChange<TEntity>(MutationKind.Update, resolved, null, null) { Json = json, OpenReferences = openReferences });
            _snapshot = null;
            shown = ShownAfterUpdate(sequence, resolved, patch);
        }

        NotifyChanged();
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
    public void ReplaceUpdate(long sequence, ReadOnlyMemory<byte> json, (string Resource, string Key)[]? openReferences)
    {
        lock (_gate)
        {
            if (!_overlay.TryGetValue(sequence, out PendingChange<TEntity>? change) || change.Kind != MutationKind.Update)
            {
                return;
            }

            SetChange(sequence, change with { Patch = null, Json = json, OpenReferences = openReferences });
            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <summary>Replaces the patch of a pending update that a later update was merged into (S6 coalescing).</summary>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="mergedPatch">The merged patch; the view keeps a copy.</param>
    /// <param name="openReferences">The keys its reference slots hold that a mapping may still rewrite; <see langword="null"/>: every key they hold.</param>
    public void ReplaceUpdate(long sequence, ISyncPatch<TEntity> mergedPatch, (string Resource, string Key)[]? openReferences = null)
    {
        ArgumentNullException.ThrowIfNull(mergedPatch);
        ISyncPatch<TEntity> owned = EntityJson<TEntity>.Clone(mergedPatch);
        lock (_gate)
        {
            if (!_overlay.TryGetValue(sequence, out PendingChange<TEntity>? change) || change.Kind != MutationKind.Update)
            {
                return;
            }

            ISyncPatch<TEntity> rewritten = ReferenceRewriter.Rewrite(owned, _mappings);
            SetChange(sequence, change with
            {
                Patch = rewritten,
                Json = default,
                OpenReferences = openReferences ?? OverlayIndex<TEntity>.ReferencesOf(null, rewritten),
            });
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
                        ServerRow<TEntity> row;
                        if (!state.IsEmpty && EntityJson<TEntity>.TryReadRow(state, serverKey, version, out TEntity? created))
                        {
                            row = new ServerRow<TEntity>(created, version, change.Origin);
                        }
                        else
                        {
                            refetch |= !state.IsEmpty;
                            row = change.Entity is { } entity
                                ? new ServerRow<TEntity>(WithKey(entity, serverKey), version, change.Origin)
                                : ServerRow<TEntity>.FromPayload(change.Json, serverKey, version, change.Origin, _mappings);
                            IndexLocalRow(serverKey, change.OpenReferences);
                        }

                        PutRow(serverKey, row, ordered: true);
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

    /// <summary>
    /// The change to the kept rows (S15) that a confirmed write makes, judged before <see cref="Confirm"/> applies it, as
    /// it will: a delete removes the row; a create or an update keeps the state the server answered, unless the view
    /// holds a newer state (the feed's), or holds no row and the write is no create of this client's still shown (the
    /// feed removed the row since, and it stays removed).
    /// </summary>
    /// <param name="write">The confirmed write.</param>
    /// <param name="row">The row to keep, or <see langword="null"/> when the row is to be removed.</param>
    /// <returns><see langword="false"/> when the write changes nothing the store keeps (or the answer carried no state).</returns>
    internal bool TryGetKeptRow(ConfirmedWrite write, out ListItem? row)
    {
        row = null;
        if (!write.CanChangeKeptRows)
        {
            return false;
        }

        if (write.Kind == MutationKind.Delete)
        {
            return true;
        }

        lock (_gate)
        {
            string? origin;
            if (_rows.GetValueOrDefault(Resolve(write.ServerKey)) is { } held)
            {
                if (VersionOrder.IsOlder(write.Version, held.Version))
                {
                    return false;
                }

                origin = held.OriginOptimisticKey;
            }
            else if (write.Create is long create && _overlay.TryGetValue(create, out PendingChange<TEntity>? change) && !change.Acknowledged)
            {
                origin = change.Origin;
            }
            else
            {
                return false;
            }

            row = new ListItem(write.ServerKey, origin, write.Version, write.State);
            return true;
        }
    }

    /// <summary>Gets the server row the view holds for <paramref name="key"/> (optimistic keys resolve), or <see langword="null"/>.</summary>
    public ServerRow<TEntity>? HeldRow(string key)
    {
        lock (_gate)
        {
            return _rows.TryGetValue(Resolve(key), out ServerRow<TEntity>? row) ? row : null;
        }
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
    /// slots of every item and pending change that point at the mapped key. Returns whether it changed
    /// anything in this view (a mapping of this resource is new here once). Caller holds the lock.
    /// </summary>
    /// <remarks>
    /// Every view of the engine learns every mapping; the table is shared, so whether the mapping is new is this
    /// view's own state: its alias, and the index entries a mapping removes once it has rewritten what they name.
    /// </remarks>
    private bool LearnMapping(IdMapping mapping)
    {
        if (mapping.OptimisticKey == mapping.ServerKey)
        {
            return false;
        }

        _ownMappings?.Add(mapping);
        if (mapping.Resource != TEntity.ResourceName && !_index.HasOpenReferences && _localRowsByReference.Count == 0)
        {
            // Nothing here holds a key a mapping may rewrite: the usual case for a view of a resource nothing references.
            return false;
        }

        bool changed = false;
        if (mapping.Resource == TEntity.ResourceName)
        {
            if (!_aliases.TryAdd(mapping.OptimisticKey, mapping.ServerKey))
            {
                return false;
            }

            changed = true;
            if (_rows.Remove(mapping.OptimisticKey, out ServerRow<TEntity>? stray) && !_rows.ContainsKey(mapping.ServerKey))
            {
                PutRow(mapping.ServerKey, stray with { Entity = WithKey(stray.Entity, mapping.ServerKey) }, ordered: false);
                IndexLocalRow(mapping.ServerKey, OverlayIndex<TEntity>.ReferencesOf(stray.Entity, null));
            }
        }

        foreach (long sequence in _index.Mentioning(mapping))
        {
            changed = true;
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

            // An entry still held as JSON takes every mapping when it is read.
            if (rewritten.Entity is not null)
            {
                rewritten = rewritten with { Entity = ReferenceRewriter.Rewrite(rewritten.Entity, mapping) };
            }

            if (rewritten.Patch is not null)
            {
                rewritten = rewritten with { Patch = ReferenceRewriter.Rewrite(rewritten.Patch, mapping) };
            }

            if (Without(rewritten.OpenReferences, mapping) is var open && !ReferenceEquals(open, rewritten.OpenReferences))
            {
                rewritten = rewritten with { OpenReferences = open };
            }

            if (!ReferenceEquals(rewritten, change))
            {
                SetChange(sequence, rewritten);
            }
        }

        if (_localRowsByReference.Remove((mapping.Resource, mapping.OptimisticKey), out HashSet<string>? localRows))
        {
            changed = true;
            foreach (string key in localRows)
            {
                // Rows a list replaced since hold server state, which never holds an optimistic key: nothing changes.
                // A row still held as JSON takes the mapping when it is read.
                if (_rows.TryGetValue(key, out ServerRow<TEntity>? row) && row.IsRead)
                {
                    TEntity entity = ReferenceRewriter.Rewrite(row.Entity, mapping);
                    if (!ReferenceEquals(entity, row.Entity))
                    {
                        _rows[key] = row with { Entity = entity };
                    }
                }
            }
        }

        if (changed)
        {
            _snapshot = null;
        }

        return changed;
    }

    /// <summary>Indexes a row built from a local entity by the references a mapping may still rewrite. Caller holds the lock.</summary>
    private void IndexLocalRow(string key, (string Resource, string Key)[]? openReferences)
    {
        foreach ((string Resource, string Key) reference in openReferences ?? [])
        {
            if (!_localRowsByReference.TryGetValue(reference, out HashSet<string>? rows))
            {
                _localRowsByReference[reference] = rows = new HashSet<string>(StringComparer.Ordinal);
            }

            rows.Add(key);
        }
    }

    /// <summary>Returns <paramref name="references"/> without the mapped key, or the same list when it does not hold it.</summary>
    private static (string Resource, string Key)[]? Without((string Resource, string Key)[]? references, IdMapping mapping)
    {
        if (references is null)
        {
            return null;
        }

        int count = 0;
        foreach ((string Resource, string Key) reference in references)
        {
            if (reference.Resource == mapping.Resource && reference.Key == mapping.OptimisticKey)
            {
                count++;
            }
        }

        if (count == 0)
        {
            return references;
        }

        if (count == references.Length)
        {
            return null;
        }

        var kept = new (string Resource, string Key)[references.Length - count];
        int next = 0;
        foreach ((string Resource, string Key) reference in references)
        {
            if (reference.Resource != mapping.Resource || reference.Key != mapping.OptimisticKey)
            {
                kept[next++] = reference;
            }
        }

        return kept;
    }

    /// <summary>Writes an overlay entry and its index entries. Caller holds the lock.</summary>
    private void SetChange(long sequence, PendingChange<TEntity> change)
    {
        if (_overlay.TryGetValue(sequence, out PendingChange<TEntity>? old))
        {
            _index.Replace(sequence, old, change);
        }
        else
        {
            _index.Add(sequence, change);
        }

        _overlay[sequence] = change;
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

        TEntity copy = EntityJson<TEntity>.ShallowCopy(entity);
        TEntity.SetKey(copy, key);
        return copy;
    }

    /// <summary>
    /// The item a create shows: the entity it was given, or the one read from its JSON, with the key it is shown under
    /// and every mapping the view knows (S3); read once and kept, so it is the same instance every time it is shown.
    /// Caller holds the lock.
    /// </summary>
    private TEntity EntityOf(long sequence, PendingChange<TEntity> change)
    {
        if (change.Entity is { } entity)
        {
            return entity;
        }

        entity = EntityJson<TEntity>.ReadQueued(change.Json, change.Key, _mappings);
        _overlay[sequence] = change with { Entity = entity };
        return entity;
    }

    /// <summary>The patch of an update: the one it was given, or one read from its JSON with every mapping the view knows. Caller holds the lock.</summary>
    private ISyncPatch<TEntity> PatchOf(PendingChange<TEntity> change)
    {
        if (change.Patch is { } patch)
        {
            return patch;
        }

        patch = EntityJson<TEntity>.ReadPatch(change.Json);
        ReferenceRewriter.RewriteOwned(patch, _mappings);
        return patch;
    }

    /// <summary>
    /// What <c>AddUpdate</c> answers: the item as now shown. A replay after a restart runs before the refetch: the row
    /// is not loaded yet, so the answer is the patch on an empty item; the view shows the real row with the patch once
    /// the list arrives. Caller holds the lock.
    /// </summary>
    private TEntity ShownAfterUpdate(long sequence, string key, ISyncPatch<TEntity>? patch = null)
    {
        if (ComputeVisible(key, sequence, patch) is { } shown)
        {
            return shown;
        }

        shown = EntityJson<TEntity>.Empty(key);
        (patch ?? PatchOf(_overlay[sequence])).ApplyTo(shown);
        return shown;
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
    /// <remarks>The change <paramref name="given"/> may be applied with <paramref name="patch"/>, its patch as the caller holds it, instead of reading its JSON.</remarks>
    private TEntity? ComputeVisible(string key, long given = 0, ISyncPatch<TEntity>? patch = null)
    {
        TEntity? current = _rows.GetValueOrDefault(key)?.Entity;
        bool copied = false;
        foreach (long sequence in _index.WithKey(key))
        {
            Apply(sequence, ref current, ref copied, sequence == given ? patch : null);
        }

        return current;
    }

    /// <summary>Applies one pending change on top of the item as the changes before it left it (S16, S17). Caller holds the lock.</summary>
    private void Apply(long sequence, ref TEntity? current, ref bool copied, ISyncPatch<TEntity>? patch = null)
    {
        PendingChange<TEntity> change = _overlay[sequence];
        switch (change.Kind)
        {
            case MutationKind.Create:
                // Once the server row exists it is the base (S18); the create only shows without one,
                // and never again once the server was seen holding it.
                if (current is null && !change.Acknowledged)
                {
                    current = EntityOf(sequence, change);
                    copied = false;
                }

                break;
            case MutationKind.Update:
                if (current is not null)
                {
                    // The patch sets top-level properties only, copying the values it brings: the item it starts
                    // from, shared with earlier snapshots, is never changed.
                    if (!copied)
                    {
                        current = EntityJson<TEntity>.ShallowCopy(current);
                        copied = true;
                    }

                    (patch ?? PatchOf(change)).ApplyTo(current);
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
        var pending = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var createdOrder = new List<string>();
        long[] sequences = [.. _overlay.Keys];
        Array.Sort(sequences);
        foreach (long sequence in sequences)
        {
            PendingChange<TEntity> change = _overlay[sequence];
            if (!pending.TryGetValue(change.Key, out List<long>? changes))
            {
                pending[change.Key] = changes = new List<long>();
                if (!_rows.ContainsKey(change.Key))
                {
                    createdOrder.Add(change.Key);
                }
            }

            changes.Add(sequence);
        }

        var items = new List<TEntity>(_rows.Count + createdOrder.Count);
        var byKey = new Dictionary<string, TEntity>(items.Capacity, StringComparer.Ordinal);
        foreach ((string key, ServerRow<TEntity> row) in _rows.InOrder())
        {
            TEntity? visible = row.Entity;
            if (pending.TryGetValue(key, out List<long>? changes))
            {
                bool copied = false;
                foreach (long sequence in changes)
                {
                    Apply(sequence, ref visible, ref copied);
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
            foreach (long sequence in pending[key])
            {
                Apply(sequence, ref visible, ref copied);
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
