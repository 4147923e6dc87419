using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>
/// Every statement the store runs after opening, compiled once and reused (<see cref="RawStatement"/>);
/// every value travels as a parameter, bound by position in the order of the SQL text. Not thread-safe:
/// the store calls it under its lock.
/// </summary>
internal sealed class StoreCommands : IDisposable
{
    private const string MutationColumns =
        "seq, resource, kind, entity_key, payload, idempotency_key, app_idempotency_key, base_version, status, attempts, last_error, failure_reason, resends, enqueued_at";

    private readonly List<RawStatement> _all = [];
    private readonly RawStatement _begin;
    private readonly RawStatement _commit;
    private readonly RawStatement _rollback;
    private readonly RawStatement _savepoint;
    private readonly RawStatement _release;
    private readonly RawStatement _rollbackToSavepoint;
    private readonly RawStatement _insertMutation;
    private readonly RawStatement _updateMutation;
    private readonly RawStatement _deleteMutation;
    private readonly RawStatement _deleteAllMutations;
    private readonly RawStatement _insertMapping;
    private readonly RawStatement _setLastSequence;
    private readonly RawStatement _incrementCounter;
    private readonly RawStatement _readCounter;
    private readonly RawStatement _setCounter;
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

        // Both bind the columns in the order of MutationColumns (BindMutation): seq is ?1 in each.
        _insertMutation = Prepare($"INSERT INTO mutations ({MutationColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        _updateMutation = Prepare(
            "UPDATE mutations SET resource = ?2, kind = ?3, entity_key = ?4, payload = ?5, idempotency_key = ?6, " +
            "app_idempotency_key = ?7, base_version = ?8, status = ?9, attempts = ?10, last_error = ?11, " +
            "failure_reason = ?12, resends = ?13, enqueued_at = ?14 WHERE seq = ?1");
        _deleteMutation = Prepare("DELETE FROM mutations WHERE seq = ?1");
        _deleteAllMutations = Prepare("DELETE FROM mutations");
        // The first mapping of an optimistic key wins: the push answer and the feed event (S3, S15)
        // carry the same mapping, and whichever arrives second is a no-op.
        _insertMapping = Prepare("INSERT INTO id_map (resource, optimistic_key, server_key) VALUES (?1, ?2, ?3) ON CONFLICT (resource, optimistic_key) DO NOTHING");
        _setLastSequence = Prepare("UPDATE client_meta SET last_sequence = ?1 WHERE id = 1");
        _incrementCounter = Prepare("INSERT INTO optimistic_counters (resource, value) VALUES (?1, 1) ON CONFLICT (resource) DO UPDATE SET value = value + 1 RETURNING value");
        _readCounter = Prepare("SELECT value FROM optimistic_counters WHERE resource = ?1");
        _setCounter = Prepare("INSERT INTO optimistic_counters (resource, value) VALUES (?1, ?2) ON CONFLICT (resource) DO UPDATE SET value = excluded.value");
    }

    public SqliteConnection Connection { get; }

    public void Begin() => _begin.Execute();

    public void Commit() => _commit.Execute();

    public void Rollback() => _rollback.Execute();

    public void Savepoint() => _savepoint.Execute();

    public void Release() => _release.Execute();

    public void RollbackToSavepoint() => _rollbackToSavepoint.Execute();

    public void InsertMutation(StoredMutation mutation)
    {
        BindMutation(_insertMutation, mutation);
        _insertMutation.Execute();
    }

    public void UpdateMutation(StoredMutation mutation)
    {
        BindMutation(_updateMutation, mutation);
        _updateMutation.Execute();
    }

    public void DeleteMutation(long sequence)
    {
        _deleteMutation.Bind(1, sequence);
        _deleteMutation.Execute();
    }

    public void DeleteAllMutations() => _deleteAllMutations.Execute();

    public void InsertMapping(IdMapping mapping)
    {
        _insertMapping.Bind(1, mapping.Resource);
        _insertMapping.Bind(2, mapping.OptimisticKey);
        _insertMapping.Bind(3, mapping.ServerKey);
        _insertMapping.Execute();
    }

    public void SetLastSequence(long sequence)
    {
        _setLastSequence.Bind(1, sequence);
        _setLastSequence.Execute();
    }

    public long IncrementCounter(string resource)
    {
        _incrementCounter.Bind(1, resource);
        return _incrementCounter.ExecuteScalar(none: 0);
    }

    public long ReadCounter(string resource)
    {
        _readCounter.Bind(1, resource);
        return _readCounter.ExecuteScalar(none: 0);
    }

    public void SetCounter(string resource, long value)
    {
        _setCounter.Bind(1, resource);
        _setCounter.Bind(2, value);
        _setCounter.Execute();
    }

    /// <summary>Applies one checkpoint write: reset, removals, rows, position.</summary>
    public void WriteFeed(FeedCheckpointWrite write)
    {
        // Prepared on first use: the statements need the tables of schema version 2.
        FeedCommands feed = _feed ??= new FeedCommands(this);
        if (write.Reset)
        {
            feed.DeleteRows.Bind(1, write.Resource);
            feed.DeleteRows.Execute();
        }

        feed.DeleteRow.Bind(1, write.Resource);
        foreach (string key in write.RemovedKeys)
        {
            feed.DeleteRow.Bind(2, key);
            feed.DeleteRow.Execute();
        }

        RawStatement upsert = feed.UpsertRow;
        upsert.Bind(1, write.Resource);
        foreach (ListItem row in write.Rows)
        {
            upsert.Bind(2, row.Key);
            upsert.Bind(3, row.Version);
            upsert.Bind(4, row.OriginOptimisticKey);
            upsert.Bind(5, row.OriginClientId);
            upsert.Bind(6, row.Data.Span);
            upsert.Execute();
        }

        if (write.Sequence is long sequence)
        {
            feed.SetPosition.Bind(1, write.Resource);
            feed.SetPosition.Bind(2, sequence);
            feed.SetPosition.Bind(3, write.Contract);
            feed.SetPosition.Execute();
        }
        else
        {
            feed.DeletePosition.Bind(1, write.Resource);
            feed.DeletePosition.Execute();
        }
    }

    public void Dispose()
    {
        foreach (RawStatement statement in _all)
        {
            statement.Dispose();
        }
    }

    private static void BindMutation(RawStatement statement, StoredMutation m)
    {
        statement.Bind(1, m.Sequence);
        statement.Bind(2, m.Resource);
        statement.Bind(3, ColumnCodes.FromKind(m.Kind));
        statement.Bind(4, m.Key);
        statement.Bind(5, m.Payload.Span);
        statement.Bind(6, m.IdempotencyKey);
        statement.Bind(7, m.AppIdempotencyKey);
        statement.Bind(8, m.BaseVersion);
        statement.Bind(9, ColumnCodes.FromStatus(m.Status));
        statement.Bind(10, (long)m.Attempts);
        statement.Bind(11, m.LastError);
        statement.Bind(12, ColumnCodes.FromReason(m.FailureReason));
        statement.Bind(13, (long)m.Resends);
        statement.Bind(14, m.EnqueuedAt.UtcTicks);
    }

    private sealed class FeedCommands(StoreCommands commands)
    {
        public RawStatement DeleteRows { get; } = commands.Prepare("DELETE FROM feed_rows WHERE resource = ?1");

        public RawStatement DeleteRow { get; } = commands.Prepare("DELETE FROM feed_rows WHERE resource = ?1 AND row_key = ?2");

        public RawStatement UpsertRow { get; } = commands.Prepare(
            "INSERT INTO feed_rows (resource, row_key, version, origin_key, origin_client_id, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6) " +
            "ON CONFLICT (resource, row_key) DO UPDATE SET version = excluded.version, origin_key = excluded.origin_key, origin_client_id = excluded.origin_client_id, data = excluded.data");

        public RawStatement SetPosition { get; } = commands.Prepare(
            "INSERT INTO feed_position (resource, sequence, contract) VALUES (?1, ?2, ?3) ON CONFLICT (resource) DO UPDATE SET sequence = excluded.sequence, contract = excluded.contract");

        public RawStatement DeletePosition { get; } = commands.Prepare("DELETE FROM feed_position WHERE resource = ?1");
    }

    private RawStatement Prepare(string sql)
    {
        var statement = new RawStatement(Connection.Handle!, sql);
        _all.Add(statement);
        return statement;
    }
}
