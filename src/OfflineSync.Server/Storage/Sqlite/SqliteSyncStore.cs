using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>
/// Keeps everything in one SQLite file, for one server instance: one long-lived writer connection behind a
/// lock (SQLite has one writer anyway, and keeping its prepared commands saves most of the per-mutation
/// cost), and pooled read-only connections that WAL lets run beside the writer.
/// </summary>
/// <remarks>
/// The WAL stays small because no read holds a transaction while its caller sends (each read is a page of its own,
/// <see cref="SqliteReads"/>), so the automatic checkpoint, every <see cref="SyncServerOptions.WalSizeLimit"/> bytes,
/// completes, and <c>journal_size_limit</c> cuts the file back to that size each time SQLite starts the log over.
/// </remarks>
internal sealed class SqliteSyncStore : ISyncStore
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SyncServerOptions _options;
    private readonly Retention _retention;
    private readonly SqliteConnection _writer;
    private readonly SqliteWriteSession _session;
    private readonly string _readConnectionString;
    private SqliteLogState _log;
    private long _head;
    private bool _disposed;

    /// <summary>Opens (or creates) the file at <paramref name="path"/> and brings it to the current layout.</summary>
    public SqliteSyncStore(string path, SyncServerOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _retention = new Retention(options);
        path = Path.GetFullPath(path);
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
        long pageSize;
        using (SqliteCommand page = _writer.CreateCommand())
        {
            page.CommandText = "PRAGMA page_size;";
            pageSize = (long)page.ExecuteScalar()!;
        }

        Execute(_writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint={Math.Max(1, options.WalSizeLimit / pageSize)}; PRAGMA journal_size_limit={options.WalSizeLimit};"));
        SqliteSchemaMigrator.Open(_writer);
        _log = new SqliteLogState(SqliteReads.Head(_writer), Meta(MetaNames.PrunedThrough), Meta(MetaNames.RetainedChanges), Meta(MetaNames.RetainedBytes));
        _head = _log.Head;
        _session = new SqliteWriteSession(_writer);
    }

    public long KnownHead => Volatile.Read(ref _head);

    public event Action<long>? Committed;

    public async Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        long headBefore = _log.Head, headAfter = headBefore;
        T result;
        try
        {
            using SqliteTransaction transaction = _writer.BeginTransaction(deferred: false);
            _session.Begin(transaction, _log, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                result = await work(_session).ConfigureAwait(false);
                _session.Prune(_retention, _log);
                transaction.Commit();
                _log = _session.Log;
                headAfter = _log.Head;
                Volatile.Write(ref _head, headAfter);
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

        if (headAfter != headBefore)
        {
            Committed?.Invoke(headAfter);
        }

        return result;
    }

    public Task<RowItem?> GetRowAsync(ReadScope scope, string key, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.GetRow(connection, scope, key));
    }

    public Task<RowPage> ListPageAsync(ReadScope scope, string? after, PageBudget budget, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.ListPage(connection, scope, after, budget));
    }

    public Task<RowPage> ReadSnapshotPageAsync(ReadScope scope, long after, long? through, PageBudget budget, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.SnapshotPage(connection, scope, after, through, budget));
    }

    public Task<ChangePage> ReadChangesAsync(string resource, long after, PageBudget budget, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.ChangesAfter(connection, resource, after, budget));
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _session.Dispose();
        try
        {
            // The next start finds the data in the database file and no WAL to replay.
            Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException)
        {
            // A reader still open keeps the log; SQLite checkpoints it on the next start.
        }

        _writer.Dispose();
        using (var pooled = new SqliteConnection(_readConnectionString))
        {
            // Releases the file so a test (or a restart) can reopen or delete it at once.
            SqliteConnection.ClearPool(pooled);
        }

        _writeLock.Dispose();
    }

    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    private long Meta(string name)
    {
        using SqliteCommand command = _writer.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT value FROM meta WHERE name = $name), 0);";
        command.Parameters.AddWithValue("$name", name);
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
