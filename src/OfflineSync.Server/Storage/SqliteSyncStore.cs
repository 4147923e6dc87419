using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage;

/// <summary>
/// Owns the SQLite file: one long-lived writer connection behind a lock (SQLite has one writer
/// anyway, and keeping its prepared commands saves most of the per-mutation cost), and pooled
/// reader connections that WAL lets run beside the writer.
/// </summary>
internal sealed class SqliteSyncStore : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
    private readonly WriteSession _session;
    private readonly string _readConnectionString;
    private long _head;
    private long _prunedThrough;
    private bool _disposed;

    public SqliteSyncStore(SyncServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        string path = Path.GetFullPath(options.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();

        _writer = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, options.FlushEachCommit ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        SchemaMigrator.Open(_writer);
        _head = ScalarInt64(_writer, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0);");
        _prunedThrough = ScalarInt64(_writer, $"SELECT COALESCE((SELECT value FROM meta WHERE name = '{SyncSchema.PrunedThrough}'), 0);");
        _session = new WriteSession(_writer, this);
    }

    public SyncServerOptions Options { get; }

    /// <summary>Gets the sequence of the last committed change.</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>Gets the highest sequence that retention removed; a feed resuming before it has a gap.</summary>
    public long PrunedThrough => Volatile.Read(ref _prunedThrough);

    /// <summary>Raised after a commit that appended changes, with the new head; outside the write lock.</summary>
    public event Action<long>? Committed;

    /// <summary>Runs <paramref name="work"/> in one write transaction; commits when it returns, rolls back when it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<WriteSession, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        long headBefore = _head;
        T result;
        try
        {
            using SqliteTransaction transaction = _writer.BeginTransaction(deferred: false);
            _session.Begin(transaction, _head, _prunedThrough);
            try
            {
                result = work(_session);
                _session.PruneIfDue(Options);
                transaction.Commit();
                Volatile.Write(ref _head, _session.Head);
                Volatile.Write(ref _prunedThrough, _session.PrunedThrough);
            }
            finally
            {
                _session.End();
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (_head != headBefore)
        {
            Committed?.Invoke(_head);
        }

        return result;
    }

    /// <summary>Opens a read-only connection; WAL lets it run beside the writer.</summary>
    public SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _session.Dispose();
        _writer.Dispose();
        using (var pooled = new SqliteConnection(_readConnectionString))
        {
            // Releases the file so a test (or a restart) can reopen or delete it at once.
            SqliteConnection.ClearPool(pooled);
        }

        _writeLock.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long ScalarInt64(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
