namespace OfflineSync;

/// <summary>What the change feed tells the view (S15–S19).</summary>
internal sealed partial class LocalView<TEntity>
{
    /// <summary>Applies one feed event to the server rows; the overlay stays on top (S16, S17).</summary>
    /// <remarks><see cref="ChangeKind.Invalidate"/> carries no row: the follower refetches and calls <see cref="ReplaceServerRows"/>.</remarks>
    internal void ApplyEvent(ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind == ChangeKind.Invalidate || change.Key is null)
        {
            return;
        }

        IdMapping? learned = null;
        lock (_gate)
        {
            string key = change.Key;
            switch (change.Kind)
            {
                case ChangeKind.Existing or ChangeKind.Added:
                    if (_tombstones.Contains(key))
                    {
                        return;
                    }

                    learned = Acknowledge(change.OriginOptimisticKey, change.OriginClientId, key);

                    // A page read before this client's confirmed update of the row can arrive after its answer: the
                    // older state must not replace the newer one, or the next update is based on it and conflicts (S10).
                    PutRow(key, new ServerRow<TEntity>(EntityJson<TEntity>.ReadRow(change.Data, key, change.Version), change.Version, change.OriginOptimisticKey), ordered: true);
                    break;
                case ChangeKind.Changed:
                    if (_tombstones.Contains(key))
                    {
                        return;
                    }

                    learned = Acknowledge(change.OriginOptimisticKey, change.OriginClientId, key);
                    ServerRow<TEntity>? before = _rows.GetValueOrDefault(key);
                    TEntity entity = before is null
                        ? EntityJson<TEntity>.ReadRow(change.Data, key, change.Version)
                        : ChangeMerger.Merge(before.Entity, change.Data, key, change.Version);
                    PutRow(key, new ServerRow<TEntity>(entity, change.Version, change.OriginOptimisticKey ?? before?.OriginOptimisticKey), ordered: true);
                    break;
                case ChangeKind.Removed:
                    // The removal this client's confirmed delete left a tombstone for: later events are news again.
                    _tombstones.Remove(key);
                    _rows.Remove(key);

                    // A row this client created and another deleted before the feed brought it: the removal is all the
                    // feed has of it. It confirms the create as the row's 'added' would, so that a late push answer
                    // (a lost one, repeated) does not bring the row back.
                    learned = Acknowledge(change.OriginOptimisticKey, change.OriginClientId, key);
                    break;
            }

            _snapshot = null;
        }

        if (learned is not null)
        {
            MappingLearned?.Invoke(learned);
        }

        NotifyChanged();
    }

    /// <summary>
    /// Fills the server rows from a feed checkpoint the store kept (S15): what the view held when the client last ran,
    /// consistent with the checkpoint's position, before the feed resumes after it. Called once, before the engine
    /// restores its queue, on a view that holds nothing yet.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">A row cannot be read as <typeparamref name="TEntity"/>; the view holds no row then.</exception>
    internal void RestoreServerRows(IReadOnlyList<ListItem> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var restored = new List<KeyValuePair<string, ServerRow<TEntity>>>(rows.Count);
        foreach (ListItem row in rows)
        {
            restored.Add(new(row.Key, new ServerRow<TEntity>(EntityJson<TEntity>.ReadRow(row.Data, row.Key, row.Version), row.Version, row.OriginOptimisticKey)));
        }

        lock (_gate)
        {
            foreach ((string key, ServerRow<TEntity> row) in restored)
            {
                _rows[key] = row;
            }

            _snapshot = null;
        }

        NotifyChanged();
    }

    /// <summary>Marks that a list is being read: rows stored from now on are weighed against it in <see cref="ReplaceServerRows"/>.</summary>
    internal void BeginList()
    {
        lock (_gate)
        {
            _storedDuringList = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Replaces every server row with a fresh list (first load, reconnect, <c>invalidate</c> or a
    /// retention gap, S19): rows deleted meanwhile disappear, the overlay is re-applied on top.
    /// </summary>
    /// <returns>
    /// The keys whose row the view holds otherwise than listed: rows a push answer stored while the list was read, and
    /// listed rows this client's confirmed delete removed. A feed checkpoint keeps them as the view holds them.
    /// </returns>
    internal IReadOnlyCollection<string> ReplaceServerRows(IReadOnlyList<ListItem> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        List<IdMapping>? learned = null;
        List<string>? heldOtherwise = null;
        bool refetch = false;
        lock (_gate)
        {
            // A push answer confirmed these while the list was read; the list may not show them yet.
            List<KeyValuePair<string, ServerRow<TEntity>>>? storedMeanwhile = null;
            foreach (string key in _storedDuringList ?? [])
            {
                if (_rows.TryGetValue(key, out ServerRow<TEntity>? row))
                {
                    (storedMeanwhile ??= new()).Add(new(key, row));
                }
            }

            _storedDuringList = null;
            _rows.Clear();
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (ListItem row in rows)
            {
                listed.Add(row.Key);

                // A list read before this client's delete reached the server still holds the row.
                if (_tombstones.Contains(row.Key))
                {
                    (heldOtherwise ??= []).Add(row.Key);
                    continue;
                }

                if (Acknowledge(row.OriginOptimisticKey, row.OriginClientId, row.Key) is IdMapping mapping)
                {
                    (learned ??= new List<IdMapping>()).Add(mapping);
                }

                _rows[row.Key] = new ServerRow<TEntity>(EntityJson<TEntity>.ReadRow(row.Data, row.Key, row.Version), row.Version, row.OriginOptimisticKey);
            }

            _tombstones.IntersectWith(listed);
            foreach ((string key, ServerRow<TEntity> row) in storedMeanwhile ?? [])
            {
                if (_tombstones.Contains(key))
                {
                    continue;
                }

                if (!_rows.TryGetValue(key, out ServerRow<TEntity>? listedRow))
                {
                    // The list predates the row, or another client deleted it since: a refetch tells which.
                    _rows[key] = row;
                    (heldOtherwise ??= []).Add(key);
                    refetch = true;
                }
                else if (VersionOrder.IsOlder(listedRow.Version, row.Version))
                {
                    _rows[key] = row;
                    (heldOtherwise ??= []).Add(key);
                }
            }

            foreach ((long sequence, PendingChange<TEntity> change) in _overlay.ToArray())
            {
                if (change.Kind == MutationKind.Create && !change.Acknowledged)
                {
                    SetChange(sequence, change with { ListedWithoutRow = true });
                }
            }
            _snapshot = null;
        }

        foreach (IdMapping mapping in learned ?? [])
        {
            MappingLearned?.Invoke(mapping);
        }

        if (refetch)
        {
            RefetchRequested?.Invoke();
        }

        NotifyChanged();
        return heldOtherwise ?? [];
    }

    /// <summary>
    /// A row this client created from key <paramref name="origin"/> acknowledges the open creates made with
    /// exactly that key, and confirms their mapping, whether or not the push answer came first (S3, S18).
    /// Returns the mapping when it is new. Caller holds the lock.
    /// </summary>
    /// <remarks>
    /// Another client's row never does, whatever its origin says: numeric optimistic keys of two clients may
    /// be equal (both number their creates -1, -2, …), and taking another client's row for this client's
    /// create would hide the item and send its edits to the wrong row (S3).
    /// </remarks>
    private IdMapping? Acknowledge(string? origin, string? originClientId, string serverKey)
    {
        if (origin is null || !string.Equals(originClientId, ClientId, StringComparison.Ordinal) || !ProtocolChecks.IsValidKey(TEntity.KeyKind, serverKey))
        {
            return null;
        }

        long[] creates = _index.OpenCreates(origin);
        if (creates.Length == 0)
        {
            return null;
        }

        IdMapping? learned = null;
        if (origin != serverKey && !_aliases.ContainsKey(origin))
        {
            var mapping = new IdMapping(TEntity.ResourceName, origin, serverKey);
            learned = LearnMapping(mapping) ? mapping : null;
        }

        foreach (long sequence in creates)
        {
            SetChange(sequence, _overlay[sequence] with { Acknowledged = true });
        }

        return learned;
    }
}
