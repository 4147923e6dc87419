using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>
/// Every statement the store runs after opening, prepared once and reused (SQLite keeps the
/// compiled statement per command); every value travels as a parameter. Not thread-safe: the
/// store calls it under its lock.
/// </summary>
internal sealed class StoreCommands : IDisposable
{
    private const string MutationColumns =
        "seq, resource, kind, entity_key, payload, idempotency_key, app_idempotency_key, base_version, status, attempts, last_error, failure_reason, resends, enqueued_at";

    private readonly List<SqliteCommand> _all = [];
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackToSavepoint;
    private readonly SqliteCommand _insertMutation;
    private readonly SqliteCommand _updateMutation;
    private readonly SqliteCommand _deleteMutation;
    private readonly SqliteCommand _deleteAllMutations;
    private readonly SqliteCommand _insertMapping;
    private readonly SqliteCommand _setLastSequence;
    private readonly SqliteCommand _incrementCounter;
    private readonly SqliteCommand _readCounter;
    private readonly SqliteCommand _setCounter;
    private FeedCommands? _feed;

    public StoreCommands(SqliteConnection connection)
    {
        Connection = connection;
        // IMMEDIATE takes the write lock at once, so a commit can never fail for a lock another
        // connection took after our reads began.
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _savepoint = Prepare("SAVEPOINT operation");
        _release = Prepare("RELEASE operation");
        _rollbackToSavepoint = Prepare("ROLLBACK TO operation");
        _insertMutation = PrepareMutation(
            $"INSERT INTO mutations ({MutationColumns}) VALUES ($seq, $resource, $kind, $key, $payload, $idem, $appIdem, $base, $status, $attempts, $error, $reason, $resends, $enqueued)");
        _updateMutation = PrepareMutation(
            "UPDATE mutations SET resource = $resource, kind = $kind, entity_key = $key, payload = $payload, idempotency_key = $idem, " +
            "app_idempotency_key = $appIdem, base_version = $base, status = $status, attempts = $attempts, last_error = $error, " +
            "failure_reason = $reason, resends = $resends, enqueued_at = $enqueued WHERE seq = $seq");
        _deleteMutation = Prepare("DELETE FROM mutations WHERE seq = $seq", ("$seq", SqliteType.Integer));
        _deleteAllMutations = Prepare("DELETE FROM mutations");
        // The first mapping of an optimistic key wins: the push answer and the feed event (S3, S15)
        // carry the same mapping, and whichever arrives second is a no-op.
        _insertMapping = Prepare(
            "INSERT INTO id_map (resource, optimistic_key, server_key) VALUES ($resource, $optimistic, $server) ON CONFLICT (resource, optimistic_key) DO NOTHING",
            ("$resource", SqliteType.Text),
            ("$optimistic", SqliteType.Text),
            ("$server", SqliteType.Text));
        _setLastSequence = Prepare("UPDATE client_meta SET last_sequence = $seq WHERE id = 1", ("$seq", SqliteType.Integer));
        _incrementCounter = Prepare(
            "INSERT INTO optimistic_counters (resource, value) VALUES ($resource, 1) ON CONFLICT (resource) DO UPDATE SET value = value + 1 RETURNING value",
            ("$resource", SqliteType.Text));
        _readCounter = Prepare("SELECT value FROM optimistic_counters WHERE resource = $resource", ("$resource", SqliteType.Text));
        _setCounter = Prepare(
            "INSERT INTO optimistic_counters (resource, value) VALUES ($resource, $value) ON CONFLICT (resource) DO UPDATE SET value = excluded.value",
            ("$resource", SqliteType.Text),
            ("$value", SqliteType.Integer));
    }

    public SqliteConnection Connection { get; }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    public void Rollback() => _rollback.ExecuteNonQuery();

    public void Savepoint() => _savepoint.ExecuteNonQuery();

    public void Release() => _release.ExecuteNonQuery();

    public void RollbackToSavepoint() => _rollbackToSavepoint.ExecuteNonQuery();

    public void InsertMutation(StoredMutation mutation)
    {
        BindMutation(_insertMutation, mutation);
        _insertMutation.ExecuteNonQuery();
    }

    public void UpdateMutation(StoredMutation mutation)
    {
        BindMutation(_updateMutation, mutation);
        _updateMutation.ExecuteNonQuery();
    }

    public void DeleteMutation(long sequence)
    {
        _deleteMutation.Parameters[0].Value = sequence;
        _deleteMutation.ExecuteNonQuery();
    }

    public void DeleteAllMutations() => _deleteAllMutations.ExecuteNonQuery();

    public void InsertMapping(IdMapping mapping)
    {
        _insertMapping.Parameters[0].Value = mapping.Resource;
        _insertMapping.Parameters[1].Value = mapping.OptimisticKey;
        _insertMapping.Parameters[2].Value = mapping.ServerKey;
        _insertMapping.ExecuteNonQuery();
    }

    public void SetLastSequence(long sequence)
    {
        _setLastSequence.Parameters[0].Value = sequence;
        _setLastSequence.ExecuteNonQuery();
    }

    public long IncrementCounter(string resource)
    {
        _incrementCounter.Parameters[0].Value = resource;
        return (long)_incrementCounter.ExecuteScalar()!;
    }

    public long ReadCounter(string resource)
    {
        _readCounter.Parameters[0].Value = resource;
        return _readCounter.ExecuteScalar() is long value ? value : 0;
    }

    public void SetCounter(string resource, long value)
    {
        _setCounter.Parameters[0].Value = resource;
        _setCounter.Parameters[1].Value = value;
        _setCounter.ExecuteNonQuery();
    }

    /// <summary>Applies one checkpoint write: reset, removals, rows, position.</summary>
    public void WriteFeed(FeedCheckpointWrite write)
    {
        // Prepared on first use: the statements need the tables of schema version 2.
        FeedCommands feed = _feed ??= new FeedCommands(this);
        if (write.Reset)
        {
            feed.DeleteRows.Parameters[0].Value = write.Resource;
            feed.DeleteRows.ExecuteNonQuery();
        }

        feed.DeleteRow.Parameters[0].Value = write.Resource;
        foreach (string key in write.RemovedKeys)
        {
            feed.DeleteRow.Parameters[1].Value = key;
            feed.DeleteRow.ExecuteNonQuery();
        }

        SqliteParameterCollection p = feed.UpsertRow.Parameters;
        p[0].Value = write.Resource;
        foreach (ListItem row in write.Rows)
        {
            p[1].Value = row.Key;
            p[2].Value = (object?)row.Version ?? DBNull.Value;
            p[3].Value = (object?)row.OriginOptimisticKey ?? DBNull.Value;
            p[4].Value = (object?)row.OriginClientId ?? DBNull.Value;
            p[5].Value = AsArray(row.Data);
            feed.UpsertRow.ExecuteNonQuery();
        }

        SqliteCommand position = write.Sequence is null ? feed.DeletePosition : feed.SetPosition;
        position.Parameters[0].Value = write.Resource;
        if (write.Sequence is long sequence)
        {
            position.Parameters[1].Value = sequence;
            position.Parameters[2].Value = write.Contract;
        }

        position.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in _all)
        {
            command.Dispose();
        }
    }

    private static void BindMutation(SqliteCommand command, StoredMutation m)
    {
        SqliteParameterCollection p = command.Parameters;
        p[0].Value = m.Sequence;
        p[1].Value = m.Resource;
        p[2].Value = ColumnCodes.FromKind(m.Kind);
        p[3].Value = m.Key;
        p[4].Value = AsArray(m.Payload);
        p[5].Value = m.IdempotencyKey;
        p[6].Value = (object?)m.AppIdempotencyKey ?? DBNull.Value;
        p[7].Value = (object?)m.BaseVersion ?? DBNull.Value;
        p[8].Value = ColumnCodes.FromStatus(m.Status);
        p[9].Value = (long)m.Attempts;
        p[10].Value = (object?)m.LastError ?? DBNull.Value;
        p[11].Value = ColumnCodes.FromReason(m.FailureReason);
        p[12].Value = (long)m.Resends;
        p[13].Value = m.EnqueuedAt.UtcTicks;
    }

    // SQLite binds whole arrays; a payload that owns its whole array is bound without a copy.
    private static byte[] AsArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> segment)
            && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : payload.ToArray();

    private sealed class FeedCommands(StoreCommands commands)
    {
        public SqliteCommand DeleteRows { get; } = commands.Prepare("DELETE FROM feed_rows WHERE resource = $resource", ("$resource", SqliteType.Text));

        public SqliteCommand DeleteRow { get; } = commands.Prepare(
            "DELETE FROM feed_rows WHERE resource = $resource AND row_key = $key",
            ("$resource", SqliteType.Text),
            ("$key", SqliteType.Text));

        public SqliteCommand UpsertRow { get; } = commands.Prepare(
            "INSERT INTO feed_rows (resource, row_key, version, origin_key, origin_client_id, data) VALUES ($resource, $key, $version, $origin, $originClient, $data) " +
            "ON CONFLICT (resource, row_key) DO UPDATE SET version = excluded.version, origin_key = excluded.origin_key, origin_client_id = excluded.origin_client_id, data = excluded.data",
            ("$resource", SqliteType.Text),
            ("$key", SqliteType.Text),
            ("$version", SqliteType.Text),
            ("$origin", SqliteType.Text),
            ("$originClient", SqliteType.Text),
            ("$data", SqliteType.Blob));

        public SqliteCommand SetPosition { get; } = commands.Prepare(
            "INSERT INTO feed_position (resource, sequence, contract) VALUES ($resource, $seq, $contract) ON CONFLICT (resource) DO UPDATE SET sequence = excluded.sequence, contract = excluded.contract",
            ("$resource", SqliteType.Text),
            ("$seq", SqliteType.Integer),
            ("$contract", SqliteType.Text));

        public SqliteCommand DeletePosition { get; } = commands.Prepare("DELETE FROM feed_position WHERE resource = $resource", ("$resource", SqliteType.Text));
    }

    private SqliteCommand PrepareMutation(string sql) => Prepare(
        sql,
        ("$seq", SqliteType.Integer),
        ("$resource", SqliteType.Text),
        ("$kind", SqliteType.Integer),
        ("$key", SqliteType.Text),
        ("$payload", SqliteType.Blob),
        ("$idem", SqliteType.Text),
        ("$appIdem", SqliteType.Text),
        ("$base", SqliteType.Text),
        ("$status", SqliteType.Integer),
        ("$attempts", SqliteType.Integer),
        ("$error", SqliteType.Text),
        ("$reason", SqliteType.Integer),
        ("$resends", SqliteType.Integer),
        ("$enqueued", SqliteType.Integer));

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        SqliteCommand command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, SqliteType type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        _all.Add(command);
        return command;
    }
}
