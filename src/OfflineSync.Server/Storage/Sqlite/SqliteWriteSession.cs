using Microsoft.Data.Sqlite;
using OfflineSync.Server.Access;

namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>
/// The statements of one SQLite write transaction. The commands are prepared once for the writer connection
/// and reused by every transaction, which is most of what makes a batch cheap. Every statement runs at once:
/// SQLite has one writer, so nothing here waits for another.
/// </summary>
internal sealed class SqliteWriteSession : IWriteSession, IDisposable
{
    private readonly SqliteCommand _getRow;
    private readonly SqliteCommand _insertRow;
    private readonly SqliteCommand _updateRow;
    private readonly SqliteCommand _appendChange;
    private readonly SqliteCommand _replaceChange;
    private readonly SqliteCommand _writeLogSize;
    private readonly SqliteCommand _getIdempotency;
    private readonly SqliteCommand _putIdempotency;
    private readonly SqliteCommand _nextKey;
    private readonly SqliteCommand _raiseKey;
    private readonly SqliteCommand _clearReaders;
    private readonly SqliteCommand _addReaders;
    private readonly SqliteCommand[] _all;

    public SqliteWriteSession(SqliteConnection connection)
    {
        _getRow = Prepare(connection, "SELECT json, version, seq, client_id, origin_optimistic_key, deleted, access FROM rows WHERE resource = $resource AND key = $key;", "$resource", "$key");
        _insertRow = Prepare(connection, "INSERT INTO rows (resource, key, json, version, seq, client_id, origin_optimistic_key, deleted, access) VALUES ($resource, $key, $json, $version, $seq, $client, $origin, 0, $access);", "$resource", "$key", "$json", "$version", "$seq", "$client", "$origin", "$access");
        _updateRow = Prepare(connection, "UPDATE rows SET json = $json, version = $version, seq = $seq, deleted = $deleted, access = $access WHERE resource = $resource AND key = $key;", "$resource", "$key", "$json", "$version", "$seq", "$deleted", "$access");
        _appendChange = Prepare(connection, "INSERT INTO changes (resource, key, kind, bytes, created_at) VALUES ($resource, $key, $kind, $bytes, $now) RETURNING seq;", "$resource", "$key", "$kind", "$bytes", "$now");
        _replaceChange = Prepare(connection, "DELETE FROM changes WHERE seq = (SELECT seq FROM rows WHERE resource = $resource AND key = $key) RETURNING bytes;", "$resource", "$key");
        _writeLogSize = Prepare(connection, $"INSERT INTO meta (name, value) VALUES ('{MetaNames.RetainedChanges}', $changes), ('{MetaNames.RetainedBytes}', $bytes) ON CONFLICT (name) DO UPDATE SET value = excluded.value;", "$changes", "$bytes");
        _getIdempotency = Prepare(connection, "SELECT request_hash, status, entity_key, optimistic_key, version, body, expires_at FROM idempotency WHERE client_id = $client AND key = $key;", "$client", "$key");
        _putIdempotency = Prepare(connection, "INSERT OR REPLACE INTO idempotency (client_id, key, request_hash, status, entity_key, optimistic_key, version, body, expires_at) VALUES ($client, $key, $hash, $status, $entity, $optimistic, $version, $body, $expires);", "$client", "$key", "$hash", "$status", "$entity", "$optimistic", "$version", "$body", "$expires");
        _nextKey = Prepare(connection, "INSERT INTO key_sequences (resource, last) VALUES ($resource, 1) ON CONFLICT (resource) DO UPDATE SET last = last + 1 RETURNING last;", "$resource");
        _raiseKey = Prepare(connection, "INSERT INTO key_sequences (resource, last) VALUES ($resource, $value) ON CONFLICT (resource) DO UPDATE SET last = max(last, $value);", "$resource", "$value");
        _clearReaders = Prepare(connection, "DELETE FROM row_access WHERE resource = $resource AND key = $key;", "$resource", "$key");
        _addReaders = Prepare(connection, "INSERT INTO row_access (resource, access_key, key) SELECT $resource, value, $key FROM json_each($access, '$.readers');", "$resource", "$key", "$access");
        _all = [_getRow, _insertRow, _updateRow, _appendChange, _replaceChange, _writeLogSize, _getIdempotency, _putIdempotency, _nextKey, _raiseKey, _clearReaders, _addReaders];
    }

    /// <summary>Gets the change log's state including this transaction's changes and pruning.</summary>
    public SqliteLogState Log { get; private set; }

    public long Now { get; private set; }

    public void Begin(SqliteTransaction transaction, SqliteLogState log, long now)
    {
        foreach (SqliteCommand command in _all)
        {
            command.Transaction = transaction;
        }

        Log = log;
        Now = now;
    }

    public void End()
    {
        foreach (SqliteCommand command in _all)
        {
            command.Transaction = null;
        }
    }

    public ValueTask<StoredRow?> GetRowAsync(string resource, string key)
    {
        _getRow.Parameters[0].Value = resource;
        _getRow.Parameters[1].Value = key;
        using SqliteDataReader reader = _getRow.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<StoredRow?>(null);
        }

        return ValueTask.FromResult<StoredRow?>(new StoredRow(
            reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetInt64(5) != 0,
            RowAccess.FromJson(reader.IsDBNull(6) ? null : reader.GetString(6))));
    }

    public async ValueTask<bool> IsGeneratedKeyFreeAsync(string resource, string key) => await GetRowAsync(resource, key).ConfigureAwait(false) is null;

    /// <summary>Nothing to gain: every read is a local call.</summary>
    public ValueTask PrefetchAsync(IReadOnlyCollection<(string Resource, string Key)> rows, IReadOnlyCollection<(string? ClientId, string Key)> idempotencyKeys) => ValueTask.CompletedTask;

    public void InsertRow(string resource, string key, byte[] json, long version, string? clientId, string? origin, RowAccess? access)
    {
        long seq = AppendChange(resource, key, StoredChangeKind.Added, json);
        string? accessJson = access?.ToJson();
        SetParameters(_insertRow, resource, key, json, version, seq, clientId, origin, accessJson);
        _insertRow.ExecuteNonQuery();
        IndexReaders(resource, key, accessJson);
    }

    public void UpdateRow(string resource, string key, byte[]? json, long version, string? origin, bool deleted, RowAccess? access)
    {
        // The row's entry in the log gives way to this change (ChangeLog): one entry per row, however often it changes.
        SetParameters(_replaceChange, resource, key);
        if (_replaceChange.ExecuteScalar() is long replaced)
        {
            Log = Log with { Changes = Log.Changes - 1, Bytes = Log.Bytes - replaced };
        }

        long seq = AppendChange(resource, key, deleted ? StoredChangeKind.Removed : StoredChangeKind.Changed, json);
        string? accessJson = access?.ToJson();
        SetParameters(_updateRow, resource, key, json, version, seq, deleted ? 1L : 0L, accessJson);
        _updateRow.ExecuteNonQuery();
        IndexReaders(resource, key, accessJson);
    }

    /// <summary>Keeps <c>row_access</c>, the index lists and snapshots are filtered through, equal to the readers of a row under a policy.</summary>
    private void IndexReaders(string resource, string key, string? accessJson)
    {
        if (accessJson is null)
        {
            return; // a resource without a policy is read unfiltered
        }

        SetParameters(_clearReaders, resource, key);
        _clearReaders.ExecuteNonQuery();
        SetParameters(_addReaders, resource, key, accessJson);
        _addReaders.ExecuteNonQuery();
    }

    public ValueTask<IdempotencyRecord?> GetIdempotencyAsync(string? clientId, string key)
    {
        _getIdempotency.Parameters[0].Value = clientId ?? IdempotencyRecord.AnonymousClient;
        _getIdempotency.Parameters[1].Value = key;
        using SqliteDataReader reader = _getIdempotency.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<IdempotencyRecord?>(null);
        }

        var record = new IdempotencyRecord(
            (byte[])reader.GetValue(0),
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4),
            reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5),
            reader.GetInt64(6));
        return ValueTask.FromResult(record.ExpiresAt > Now ? record : null);
    }

    public void PutIdempotency(string? clientId, string key, IdempotencyRecord record)
    {
        SetParameters(_putIdempotency, clientId ?? IdempotencyRecord.AnonymousClient, key, record.RequestHash, record.Status, record.EntityKey, record.OptimisticKey, record.Version, record.Body, record.ExpiresAt);
        _putIdempotency.ExecuteNonQuery();
    }

    public ValueTask<long> NextKeyAsync(string resource)
    {
        _nextKey.Parameters[0].Value = resource;
        return ValueTask.FromResult((long)_nextKey.ExecuteScalar()!);
    }

    public ValueTask RaiseKeyAsync(string resource, long value)
    {
        SetParameters(_raiseKey, resource, value);
        _raiseKey.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Drops change-log entries past retention — the oldest, up to the highest sequence the count, size or age limit asks
    /// for — raising the prune point of each resource whose entries go, and expired idempotency records; then writes the
    /// log's size for the next transaction.
    /// </summary>
    public void Prune(Retention retention, SqliteLogState before)
    {
        long cut = Log.PrunedThrough;
        if (retention.ExcessChanges(Log.Changes) is > 0 and long excessChanges)
        {
            cut = Math.Max(cut, ScalarInt64("SELECT seq FROM changes ORDER BY seq LIMIT 1 OFFSET $skip;", ("$skip", excessChanges - 1)));
        }

        if (retention.ExcessBytes(Log.Bytes) is > 0 and long excessBytes)
        {
            cut = Math.Max(cut, SequenceWeighing(excessBytes));
        }

        if (retention.TakeAgePrune(Now))
        {
            long byAge = ScalarInt64("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE seq > $after AND created_at < $cutoff;", ("$after", cut), ("$cutoff", retention.AgeCutoff(Now)));
            cut = Math.Max(cut, byAge);
            Execute("DELETE FROM idempotency WHERE expires_at <= $now;", ("$now", Now));
        }

        if (cut > Log.PrunedThrough)
        {
            Execute("INSERT INTO prune_points (resource, through) SELECT resource, MAX(seq) FROM changes WHERE seq <= $cut GROUP BY resource ON CONFLICT (resource) DO UPDATE SET through = max(through, excluded.through);", ("$cut", cut));
            long removed = ScalarInt64("SELECT COUNT(*) FROM changes WHERE seq <= $cut;", ("$cut", cut));
            long weight = ScalarInt64("SELECT COALESCE(SUM(bytes), 0) FROM changes WHERE seq <= $cut;", ("$cut", cut));
            Execute("DELETE FROM changes WHERE seq <= $cut;", ("$cut", cut));
            Execute($"INSERT INTO meta (name, value) VALUES ('{MetaNames.PrunedThrough}', $cut) ON CONFLICT (name) DO UPDATE SET value = $cut;", ("$cut", cut));
            Log = Log with { PrunedThrough = cut, Changes = Log.Changes - removed, Bytes = Log.Bytes - weight };
        }

        if (Log.Changes != before.Changes || Log.Bytes != before.Bytes)
        {
            SetParameters(_writeLogSize, Log.Changes, Log.Bytes);
            _writeLogSize.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in _all)
        {
            command.Dispose();
        }
    }

    private long AppendChange(string resource, string key, StoredChangeKind kind, byte[]? json)
    {
        long weight = ChangeLog.Weight(key, json);
        SetParameters(_appendChange, resource, key, (long)kind, weight, Now);
        long seq = (long)_appendChange.ExecuteScalar()!;
        Log = Log with { Head = seq, Changes = Log.Changes + 1, Bytes = Log.Bytes + weight };
        return seq;
    }

    /// <summary>Returns the sequence of the oldest entries whose weights add up to <paramref name="bytes"/>: reads from the oldest and stops there.</summary>
    private long SequenceWeighing(long bytes)
    {
        using SqliteCommand command = AdHoc("SELECT seq, bytes FROM changes ORDER BY seq;", []);
        using SqliteDataReader reader = command.ExecuteReader();
        long sum = 0, seq = 0;
        while (sum < bytes && reader.Read())
        {
            seq = reader.GetInt64(0);
            sum += reader.GetInt64(1);
        }

        return seq;
    }

    private long ScalarInt64(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = AdHoc(sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = AdHoc(sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand AdHoc(string sql, (string Name, object Value)[] parameters)
    {
        SqliteCommand command = _getRow.Connection!.CreateCommand();
        command.Transaction = _getRow.Transaction;
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    private static void SetParameters(SqliteCommand command, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}

/// <summary>The SQLite change log as the writer knows it between transactions: its head, retention's bound, and its size for retention.</summary>
/// <param name="Head">The last sequence handed out.</param>
/// <param name="PrunedThrough">The highest sequence retention removed, of any resource.</param>
/// <param name="Changes">The number of entries.</param>
/// <param name="Bytes">The sum of the entries' weights (<see cref="ChangeLog.Weight"/>).</param>
internal readonly record struct SqliteLogState(long Head, long PrunedThrough, long Changes, long Bytes);
