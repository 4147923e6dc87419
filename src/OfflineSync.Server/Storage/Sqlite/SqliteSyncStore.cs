using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>
/// Keeps everything in one SQLite file, for one server instance: one long-lived writer connection behind a
/// lock (SQLite has one writer anyway, and keeping its prepared commands saves most of the per-mutation
/// cost), and pooled read-only connections that WAL lets run beside the writer.
/// </summary>
internal sealed class SqliteSyncStore : ISyncStore
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SyncServerOptions _options;
    private readonly Retention _retention;
    private readonly SqliteConnection _writer;
    private readonly SqliteWriteSession _session;
    private readonly string _readConnectionString;
    private long _head;
    private long _prunedThrough;
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
        SqliteSchemaMigrator.Open(_writer);
        _head = SqliteReads.Head(_writer);
        using (SqliteCommand pruned = _writer.CreateCommand())
        {
            pruned.CommandText = $"SELECT COALESCE((SELECT value FROM meta WHERE name = '{SqliteSchema.PrunedThrough}'), 0);";
            _prunedThrough = (long)pruned.ExecuteScalar()!;
        }

        _session = new SqliteWriteSession(_writer);
    }

    public long KnownHead => Volatile.Read(ref _head);

    public event Action<long>? Committed;

    public async Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        long headBefore = _head;
        T result;
        try
        {
            using SqliteTransaction transaction = _writer.BeginTransaction(deferred: false);
            _session.Begin(transaction, _head, _prunedThrough, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                result = await work(_session).ConfigureAwait(false);
                _session.Prune(_retention);
                transaction.Commit();
                Volatile.Write(ref _head, _session.Head);
                _prunedThrough = _session.PrunedThrough;
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

    public Task<RowItem?> GetRowAsync(ReadScope scope, string key, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.GetRow(connection, scope, key));
    }

    public Task<RowPage> ListPageAsync(ReadScope scope, string? after, int limit, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.ListPage(connection, scope, after, limit));
    }

    public async IAsyncEnumerable<RowItem> ReadSnapshotAsync(ReadScope scope, Action<long> head, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        foreach (RowItem row in SqliteReads.Snapshot(connection, scope, head))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<ChangePage> ReadChangesAsync(string resource, long after, int limit, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = OpenReader();
        return Task.FromResult(SqliteReads.ChangesAfter(connection, resource, after, limit));
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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
