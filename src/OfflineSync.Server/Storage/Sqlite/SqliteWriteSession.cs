using Microsoft.Data.Sqlite;

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
    private readonly SqliteCommand _getIdempotency;
    private readonly SqliteCommand _putIdempotency;
    private readonly SqliteCommand _nextKey;
    private readonly SqliteCommand _raiseKey;
    private readonly SqliteCommand[] _all;

    public SqliteWriteSession(SqliteConnection connection)
    {
        _getRow = Prepare(connection, "SELECT json, version, seq, client_id, origin_optimistic_key, deleted FROM rows WHERE resource = $resource AND key = $key;", "$resource", "$key");
        _insertRow = Prepare(connection, "INSERT INTO rows (resource, key, json, version, seq, client_id, origin_optimistic_key, deleted) VALUES ($resource, $key, $json, $version, $seq, $client, $origin, 0);", "$resource", "$key", "$json", "$version", "$seq", "$client", "$origin");
        _updateRow = Prepare(connection, "UPDATE rows SET json = $json, version = $version, seq = $seq, deleted = $deleted WHERE resource = $resource AND key = $key;", "$resource", "$key", "$json", "$version", "$seq", "$deleted");
        _appendChange = Prepare(connection, "INSERT INTO changes (resource, key, kind, version, origin_optimistic_key, json, created_at) VALUES ($resource, $key, $kind, $version, $origin, $json, $now) RETURNING seq;", "$resource", "$key", "$kind", "$version", "$origin", "$json", "$now");
        _getIdempotency = Prepare(connection, "SELECT request_hash, status, entity_key, optimistic_key, version, body, expires_at FROM idempotency WHERE client_id = $client AND key = $key;", "$client", "$key");
        _putIdempotency = Prepare(connection, "INSERT OR REPLACE INTO idempotency (client_id, key, request_hash, status, entity_key, optimistic_key, version, body, expires_at) VALUES ($client, $key, $hash, $status, $entity, $optimistic, $version, $body, $expires);", "$client", "$key", "$hash", "$status", "$entity", "$optimistic", "$version", "$body", "$expires");
        _nextKey = Prepare(connection, "INSERT INTO key_sequences (resource, last) VALUES ($resource, 1) ON CONFLICT (resource) DO UPDATE SET last = last + 1 RETURNING last;", "$resource");
        _raiseKey = Prepare(connection, "INSERT INTO key_sequences (resource, last) VALUES ($resource, $value) ON CONFLICT (resource) DO UPDATE SET last = max(last, $value);", "$resource", "$value");
        _all = [_getRow, _insertRow, _updateRow, _appendChange, _getIdempotency, _putIdempotency, _nextKey, _raiseKey];
    }

    /// <summary>Gets the head sequence including the changes of this transaction.</summary>
    public long Head { get; private set; }

    /// <summary>Gets the highest pruned sequence including this transaction's pruning.</summary>
    public long PrunedThrough { get; private set; }

    public long Now { get; private set; }

    public void Begin(SqliteTransaction transaction, long head, long prunedThrough, long now)
    {
        foreach (SqliteCommand command in _all)
        {
            command.Transaction = transaction;
        }

        Head = head;
        PrunedThrough = prunedThrough;
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
            reader.GetInt64(5) != 0));
    }

    public async ValueTask<bool> IsGeneratedKeyFreeAsync(string resource, string key) => await GetRowAsync(resource, key).ConfigureAwait(false) is null;

    /// <summary>Nothing to gain: every read is a local call.</summary>
    public ValueTask PrefetchAsync(IReadOnlyCollection<(string Resource, string Key)> rows, IReadOnlyCollection<(string? ClientId, string Key)> idempotencyKeys) => ValueTask.CompletedTask;

    public void InsertRow(string resource, string key, byte[] json, long version, string? clientId, string? origin)
    {
        long seq = AppendChange(resource, key, StoredChangeKind.Added, version, origin, json);
        SetParameters(_insertRow, resource, key, json, version, seq, clientId, origin);
        _insertRow.ExecuteNonQuery();
    }

    public void UpdateRow(string resource, string key, byte[]? json, long version, string? origin, bool deleted)
    {
        long seq = AppendChange(resource, key, deleted ? StoredChangeKind.Removed : StoredChangeKind.Changed, version, origin, json);
        SetParameters(_updateRow, resource, key, json, version, seq, deleted ? 1L : 0L);
        _updateRow.ExecuteNonQuery();
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

    /// <summary>Drops change-log entries past retention and expired idempotency records.</summary>
    public void Prune(Retention retention)
    {
        long cut = retention.CountCut(Head, PrunedThrough);
        if (retention.TakeAgePrune(Now))
        {
            long byAge = ScalarInt64("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE seq > $after AND created_at < $cutoff;", ("$after", cut), ("$cutoff", retention.AgeCutoff(Now)));
            cut = Math.Max(cut, byAge);
            Execute("DELETE FROM idempotency WHERE expires_at <= $now;", ("$now", Now));
        }

        if (cut > PrunedThrough)
        {
            Execute("DELETE FROM changes WHERE seq <= $cut;", ("$cut", cut));
            Execute($"INSERT INTO meta (name, value) VALUES ('{SqliteSchema.PrunedThrough}', $cut) ON CONFLICT (name) DO UPDATE SET value = $cut;", ("$cut", cut));
            PrunedThrough = cut;
        }
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in _all)
        {
            command.Dispose();
        }
    }

    private long AppendChange(string resource, string key, StoredChangeKind kind, long version, string? origin, byte[]? json)
    {
        SetParameters(_appendChange, resource, key, (long)kind, version, origin, json, Now);
        long seq = (long)_appendChange.ExecuteScalar()!;
        Head = seq;
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
