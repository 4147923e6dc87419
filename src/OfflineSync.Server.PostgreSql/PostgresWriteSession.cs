using Npgsql;
using NpgsqlTypes;
using OfflineSync.Server.Access;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// One PostgreSQL write transaction (READ COMMITTED). Reads run at once: a row is read <c>FOR UPDATE</c>, so a
/// concurrent writer of the same row waits for this transaction and then sees its version. Writes are kept
/// here, read back from here, and sent at the end in one round trip under the change-log lock
/// (<see cref="FlushAsync"/>): the lock is held for the flush and the commit only, not for the whole request.
/// </summary>
internal sealed class PostgresWriteSession : IWriteSession
{
    private readonly NpgsqlConnection _connection;
    private readonly PostgresSql _sql;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<(string Resource, string Key), PendingRow> _rows = new();
    private readonly Dictionary<(string Resource, string Key), StoredRow?> _read = new();
    private readonly Dictionary<(string Client, string Key), IdempotencyRecord> _idempotency = new();
    private readonly Dictionary<(string Client, string Key), IdempotencyRecord?> _idempotencyRead = new();
    private readonly List<PendingChange> _changes = [];

    public PostgresWriteSession(NpgsqlConnection connection, PostgresSql sql, long now, CancellationToken cancellationToken)
    {
        _connection = connection;
        _sql = sql;
        Now = now;
        _cancellationToken = cancellationToken;
    }

    public long Now { get; }

    public async ValueTask<StoredRow?> GetRowAsync(string resource, string key)
    {
        if (_rows.TryGetValue((resource, key), out PendingRow? pending))
        {
            return pending.Row;
        }

        if (_read.TryGetValue((resource, key), out StoredRow? read))
        {
            return read;
        }

        await using var command = new NpgsqlCommand(_sql.GetRowForUpdate, _connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resource });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false))
        {
            read = await reader.ReadAsync(_cancellationToken).ConfigureAwait(false) ? ReadRow(reader, 0) : null;
        }

        _read[(resource, key)] = read;
        return read;
    }

    /// <summary>A generated key is free unless this transaction used it: a collision with a stored row fails the insert's unique index, and the transaction runs again with another key.</summary>
    public ValueTask<bool> IsGeneratedKeyFreeAsync(string resource, string key) => ValueTask.FromResult(!_rows.ContainsKey((resource, key)));

    /// <summary>Reads (and locks, in key order, so concurrent batches do not deadlock on each other) the rows and records in one round trip.</summary>
    public async ValueTask PrefetchAsync(IReadOnlyCollection<(string Resource, string Key)> rows, IReadOnlyCollection<(string? ClientId, string Key)> idempotencyKeys)
    {
        var wanted = rows.Where(r => !_rows.ContainsKey(r) && !_read.ContainsKey(r)).ToList();
        var records = idempotencyKeys.Select(static k => (Client: k.ClientId ?? IdempotencyRecord.AnonymousClient, k.Key))
            .Where(k => !_idempotency.ContainsKey(k) && !_idempotencyRead.ContainsKey(k)).ToList();
        if (wanted.Count + records.Count < 2)
        {
            return; // one read is no cheaper ahead of time
        }

        await using var batch = new NpgsqlBatch(_connection);
        var readRows = new NpgsqlBatchCommand(_sql.PrefetchRows);
        readRows.Parameters.Add(Array(wanted.Select(static r => r.Resource).ToArray(), NpgsqlDbType.Text));
        readRows.Parameters.Add(Array(wanted.Select(static r => r.Key).ToArray(), NpgsqlDbType.Text));
        batch.BatchCommands.Add(readRows);
        var readRecords = new NpgsqlBatchCommand(_sql.PrefetchIdempotency);
        readRecords.Parameters.Add(Array(records.Select(static r => r.Client).ToArray(), NpgsqlDbType.Text));
        readRecords.Parameters.Add(Array(records.Select(static r => r.Key).ToArray(), NpgsqlDbType.Text));
        batch.BatchCommands.Add(readRecords);
        foreach ((string Resource, string Key) row in wanted)
        {
            _read[row] = null;
        }

        foreach ((string Client, string Key) record in records)
        {
            _idempotencyRead[record] = null;
        }

        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            _read[(reader.GetString(0), reader.GetString(1))] = ReadRow(reader, 2);
        }

        await reader.NextResultAsync(_cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            _idempotencyRead[(reader.GetString(0), reader.GetString(1))] = ReadRecord(reader, 2);
        }
    }

    public void InsertRow(string resource, string key, byte[] json, long version, string? clientId, string? origin, RowAccess? access)
    {
        _changes.Add(new PendingChange(resource, key, StoredChangeKind.Added, ChangeLog.Weight(key, json)));
        _rows[(resource, key)] = new PendingRow(new StoredRow(json, version, 0, clientId, origin, Deleted: false, access), IsNew: true, _changes.Count);
    }

    public void UpdateRow(string resource, string key, byte[]? json, long version, string? origin, bool deleted, RowAccess? access)
    {
        _changes.Add(new PendingChange(resource, key, deleted ? StoredChangeKind.Removed : StoredChangeKind.Changed, ChangeLog.Weight(key, json)));
        bool isNew = _rows.TryGetValue((resource, key), out PendingRow? pending) && pending.IsNew;
        StoredRow before = pending?.Row ?? _read[(resource, key)] ?? throw new InvalidOperationException($"'{resource}/{key}' is updated without being read.");
        _rows[(resource, key)] = new PendingRow(before with { Json = json, Version = version, Deleted = deleted, Access = access }, isNew, _changes.Count);
    }

    public async ValueTask<IdempotencyRecord?> GetIdempotencyAsync(string? clientId, string key)
    {
        string client = clientId ?? IdempotencyRecord.AnonymousClient;
        if (_idempotency.TryGetValue((client, key), out IdempotencyRecord? written))
        {
            return written;
        }

        if (_idempotencyRead.TryGetValue((client, key), out IdempotencyRecord? prefetched))
        {
            return prefetched is not null && prefetched.ExpiresAt > Now ? prefetched : null;
        }

        await using var command = new NpgsqlCommand(_sql.GetIdempotency, _connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = client });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        IdempotencyRecord record = ReadRecord(reader, 0);
        return record.ExpiresAt > Now ? record : null;
    }

    public void PutIdempotency(string? clientId, string key, IdempotencyRecord record) =>
        _idempotency[(clientId ?? IdempotencyRecord.AnonymousClient, key)] = record;

    public async ValueTask<long> NextKeyAsync(string resource)
    {
        await using var command = new NpgsqlCommand(_sql.NextKey, _connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resource });
        return (long)(await command.ExecuteScalarAsync(_cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask RaiseKeyAsync(string resource, long value)
    {
        await using var command = new NpgsqlCommand(_sql.RaiseKey, _connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resource });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        await command.ExecuteNonQueryAsync(_cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the transaction's writes in one batch: the change-log lock, the changes with their rows, the
    /// idempotency records, the notification and retention's pruning. Returns the new head, or
    /// <see langword="null"/> when nothing was appended.
    /// </summary>
    /// <exception cref="WriteConflictException">A concurrent request stored a record for one of this transaction's idempotency keys first.</exception>
    public async Task<long?> FlushAsync(Retention retention)
    {
        if (_changes.Count == 0 && _idempotency.Count == 0)
        {
            return null;
        }

        await using var batch = new NpgsqlBatch(_connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.LockChangeLog));
        NpgsqlBatchCommand? append = null;
        if (_changes.Count > 0)
        {
            append = AppendChanges();
            batch.BatchCommands.Add(append);
        }

        NpgsqlBatchCommand? records = null;
        if (_idempotency.Count > 0)
        {
            records = PutIdempotency();
            batch.BatchCommands.Add(records);
        }

        if (retention.TakeAgePrune(Now))
        {
            batch.BatchCommands.Add(Command(_sql.PruneByAge, retention.AgeCutoff(Now)));
            batch.BatchCommands.Add(Command(_sql.PruneIdempotency, Now));
        }

        if (append is not null)
        {
            // Statements of a batch see the ones before them: the head is this transaction's last change, the log's size includes it.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.Notify));
            if (retention.MaxChanges is long maxChanges)
            {
                batch.BatchCommands.Add(Command(_sql.PruneByCount, maxChanges));
            }

            if (retention.MaxBytes is long maxBytes)
            {
                batch.BatchCommands.Add(Command(_sql.PruneBySize, maxBytes));
            }
        }

        long? head = null;
        await using (NpgsqlDataReader reader = await batch.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false))
        {
            // The lock's result comes first, the appended head (when there is one) second.
            if (append is not null
                && await reader.NextResultAsync(_cancellationToken).ConfigureAwait(false)
                && await reader.ReadAsync(_cancellationToken).ConfigureAwait(false))
            {
                head = reader.GetInt64(0);
            }

            while (await reader.NextResultAsync(_cancellationToken).ConfigureAwait(false))
            {
            }
        }

        if (records is not null && records.RecordsAffected != _idempotency.Count)
        {
            throw new WriteConflictException("A concurrent request stored an idempotency record of this transaction first.");
        }

        return head;
    }

    /// <summary>
    /// The transaction's changes, one per row (its last, <see cref="ChangeLog"/>), with the rows they leave and the
    /// sequences of the entries they replace.
    /// </summary>
    private NpgsqlBatchCommand AppendChanges()
    {
        // The 1-based position, among the changes sent, of each row's last change of the transaction.
        var kept = new List<PendingChange>(_changes.Count);
        var position = new Dictionary<(string Resource, string Key), long>(_rows.Count);
        for (int i = 0; i < _changes.Count; i++)
        {
            PendingChange change = _changes[i];
            if (_rows[(change.Resource, change.Key)].LastChange == i + 1)
            {
                kept.Add(change);
                position[(change.Resource, change.Key)] = kept.Count;
            }
        }

        List<KeyValuePair<(string Resource, string Key), PendingRow>> inserted = [], updated = [];
        foreach (KeyValuePair<(string Resource, string Key), PendingRow> row in _rows)
        {
            (row.Value.IsNew ? inserted : updated).Add(row);
        }

        var command = new NpgsqlBatchCommand(_sql.AppendChanges);
        NpgsqlParameterCollection p = command.Parameters;
        p.Add(Array(kept.Select(static c => c.Resource).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(kept.Select(static c => c.Key).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(kept.Select(static c => (short)c.Kind).ToArray(), NpgsqlDbType.Smallint));
        p.Add(Array(kept.Select(static c => c.Weight).ToArray(), NpgsqlDbType.Bigint));
        p.Add(new NpgsqlParameter<long> { TypedValue = Now });
        p.Add(Array(inserted.Select(static r => r.Key.Resource).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(inserted.Select(static r => r.Key.Key).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(inserted.Select(static r => r.Value.Row.Json).ToArray(), NpgsqlDbType.Bytea));
        p.Add(Array(inserted.Select(static r => r.Value.Row.Version).ToArray(), NpgsqlDbType.Bigint));
        p.Add(Array(inserted.Select(static r => r.Value.Row.ClientId).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(inserted.Select(static r => r.Value.Row.OriginOptimisticKey).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(inserted.Select(static r => r.Value.Row.Deleted).ToArray(), NpgsqlDbType.Boolean));
        p.Add(Array(inserted.Select(r => position[r.Key]).ToArray(), NpgsqlDbType.Bigint));
        p.Add(Array(updated.Select(static r => r.Key.Resource).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(updated.Select(static r => r.Key.Key).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(updated.Select(static r => r.Value.Row.Json).ToArray(), NpgsqlDbType.Bytea));
        p.Add(Array(updated.Select(static r => r.Value.Row.Version).ToArray(), NpgsqlDbType.Bigint));
        p.Add(Array(updated.Select(static r => r.Value.Row.Deleted).ToArray(), NpgsqlDbType.Boolean));
        p.Add(Array(updated.Select(r => position[r.Key]).ToArray(), NpgsqlDbType.Bigint));

        // An updated row was read before this transaction changed it: its sequence then is its entry in the log.
        p.Add(Array(updated.Select(static r => r.Value.Row.Sequence).ToArray(), NpgsqlDbType.Bigint));
        p.Add(Array(inserted.Select(static r => r.Value.Row.Access?.ToJson()).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(updated.Select(static r => r.Value.Row.Access?.ToJson()).ToArray(), NpgsqlDbType.Text));
        return command;
    }

    private NpgsqlBatchCommand PutIdempotency()
    {
        var command = new NpgsqlBatchCommand(_sql.PutIdempotency);
        NpgsqlParameterCollection p = command.Parameters;
        List<KeyValuePair<(string Client, string Key), IdempotencyRecord>> records = _idempotency.ToList();
        p.Add(Array(records.Select(static r => r.Key.Client).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(records.Select(static r => r.Key.Key).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(records.Select(static r => r.Value.RequestHash).ToArray(), NpgsqlDbType.Bytea));
        p.Add(Array(records.Select(static r => r.Value.Status).ToArray(), NpgsqlDbType.Integer));
        p.Add(Array(records.Select(static r => r.Value.EntityKey).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(records.Select(static r => r.Value.OptimisticKey).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(records.Select(static r => r.Value.Version).ToArray(), NpgsqlDbType.Bigint));
        p.Add(Array(records.Select(static r => r.Value.Body).ToArray(), NpgsqlDbType.Bytea));
        p.Add(Array(records.Select(static r => r.Value.ExpiresAt).ToArray(), NpgsqlDbType.Bigint));
        p.Add(new NpgsqlParameter<long> { TypedValue = Now });
        return command;
    }

    private static StoredRow ReadRow(NpgsqlDataReader reader, int first) => new(
        reader.IsDBNull(first) ? null : reader.GetFieldValue<byte[]>(first),
        reader.GetInt64(first + 1),
        reader.GetInt64(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        reader.GetBoolean(first + 5),
        RowAccess.FromJson(reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6)));

    private static IdempotencyRecord ReadRecord(NpgsqlDataReader reader, int first) => new(
        reader.GetFieldValue<byte[]>(first),
        reader.GetInt32(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetInt64(first + 4),
        reader.IsDBNull(first + 5) ? null : reader.GetFieldValue<byte[]>(first + 5),
        reader.GetInt64(first + 6));

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values };

    private static NpgsqlBatchCommand Command(string sql, long value)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        return command;
    }

    private sealed record PendingChange(string Resource, string Key, StoredChangeKind Kind, long Weight);

    /// <summary>A row as this transaction leaves it; <see cref="LastChange"/> is the 1-based position of its last change in the transaction's changes.</summary>
    private sealed record PendingRow(StoredRow Row, bool IsNew, int LastChange);
}

/// <summary>A write transaction met a concurrent one it cannot be ordered after; the store runs it again.</summary>
internal sealed class WriteConflictException(string message) : Exception(message);
