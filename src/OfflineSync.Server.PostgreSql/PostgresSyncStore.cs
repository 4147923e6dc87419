using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using OfflineSync.Server.Access;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// Keeps everything in PostgreSQL so that several server instances serve the same data: rows, versions,
/// origins, the change log (a database sequence), idempotency records, key sequences and retention. Each
/// write is one transaction that appends to the change log under an advisory lock, so sequences commit in
/// order; each commit notifies the schema's channel, and every instance's <see cref="PostgresChangeListener"/>
/// wakes its feeds, which read the log back from the database.
/// </summary>
internal sealed partial class PostgresSyncStore : ISyncStore
{
    /// <summary>How often a write transaction is run again after losing a race to a concurrent one (the same proposed key, the same idempotency key, a deadlock).</summary>
    private const int MaxWriteAttempts = 10;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSql _sql;
    private readonly SyncServerOptions _options;
    private readonly Retention _retention;
    private readonly ILogger _logger;
    private readonly PostgresChangeListener _listener;
    private long _knownHead;

    private PostgresSyncStore(NpgsqlDataSource dataSource, PostgresStoreOptions store, SyncServerOptions options, ILogger logger, long head)
    {
        _dataSource = dataSource;
        _sql = new PostgresSql(store.Schema);
        _options = options;
        _retention = new Retention(options);
        _logger = logger;
        _knownHead = head;
        _listener = new PostgresChangeListener(dataSource, _sql, store.PollInterval, Advance, logger);
    }

    public long KnownHead => Volatile.Read(ref _knownHead);

    public event Action<long>? Committed;

    /// <summary>Connects, brings the schema to this version's layout and starts listening for other instances' commits.</summary>
    /// <remarks>Synchronous (Npgsql's synchronous calls), like the opening of a SQLite file: the server opens its store when the first resource is mapped, before the host starts.</remarks>
    public static PostgresSyncStore Open(string connectionString, PostgresStoreOptions store, SyncServerOptions options, ILoggerFactory loggerFactory)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // Every request runs the same few statements: prepared once per connection, they skip parse and plan.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        NpgsqlDataSource dataSource = builder.Build();
        try
        {
            PostgresSchemaMigrator.Migrate(dataSource, store.Schema);
            long head;
            using (NpgsqlCommand read = dataSource.CreateCommand(new PostgresSql(store.Schema).Head))
            {
                head = (long)read.ExecuteScalar()!;
            }

            var opened = new PostgresSyncStore(dataSource, store, options, loggerFactory.CreateLogger("OfflineSync.Server.PostgreSql"), head);
            opened._listener.Start();
            return opened;
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    public async Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            var session = new PostgresWriteSession(connection, _sql, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            try
            {
                T result = await work(session).ConfigureAwait(false);
                long? head = await session.FlushAsync(_retention).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (head is long appended)
                {
                    Advance(appended);
                }

                return result;
            }
            catch (Exception e) when (attempt < MaxWriteAttempts && IsRace(e))
            {
                // Lost a race to a concurrent writer: run the request again on what that writer committed.
                Log.WriteRetried(_logger, attempt, e.Message);
            }
        }
    }

    public async Task<RowItem?> GetRowAsync(ReadScope scope, string key, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand(_sql.GetRow.For(scope));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.Resource });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        AddReadKeys(command, scope);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRow(reader, scope, 0) : null;
    }

    public async Task<RowPage> ListPageAsync(ReadScope scope, string? after, PageBudget budget, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand((after is null ? _sql.ListFirstPage : _sql.ListPageAfter).For(scope));
        AddPage(command, scope.Resource, budget);
        if (after is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
        }

        AddReadKeys(command, scope);

        return await ReadRowPageAsync(command, scope, budget, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RowPage> ReadSnapshotPageAsync(ReadScope scope, long after, long? through, PageBudget budget, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand(_sql.SnapshotPage.For(scope));
        AddPage(command, scope.Resource, budget);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint, Value = through is long bound ? bound : DBNull.Value });
        AddReadKeys(command, scope);
        return await ReadRowPageAsync(command, scope, budget, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChangePage> ReadChangesAsync(string resource, long after, PageBudget budget, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand(_sql.ChangesAfter);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resource });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.MaxRows + 1 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.MaxRows });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.MaxBytes });
        long head = 0, pruned = 0, candidates = 0;
        var changes = new List<StoredChange>();
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (head, pruned) = (reader.GetInt64(0), reader.GetInt64(1));
                if (reader.IsDBNull(3))
                {
                    continue;
                }

                candidates = reader.GetInt64(2);
                changes.Add(new StoredChange(
                    reader.GetInt64(3),
                    reader.GetString(4),
                    (StoredChangeKind)reader.GetInt16(5),
                    reader.GetInt64(6),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8),
                    RowAccess.FromJson(reader.IsDBNull(10) ? null : reader.GetString(10))));
            }
        }

        // Another instance's commit read here may be newer than any notification so far: wake the other feeds too.
        Advance(head);
        return new ChangePage(changes, head, pruned, candidates > changes.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening without waiting for the listener to end, and closes the connections.</summary>
    public void Dispose()
    {
        _listener.Stop();
        _dataSource.Dispose();
    }

    /// <summary>Raises <see cref="Committed"/> when <paramref name="head"/> is newer than any head seen before.</summary>
    private void Advance(long head)
    {
        long known = Volatile.Read(ref _knownHead);
        while (head > known)
        {
            long seen = Interlocked.CompareExchange(ref _knownHead, head, known);
            if (seen == known)
            {
                Committed?.Invoke(head);
                return;
            }

            known = seen;
        }
    }

    /// <summary>A unique violation (a proposed key or an idempotency key taken by a concurrent commit), a deadlock or a serialization failure.</summary>
    private static bool IsRace(Exception e) => e switch
    {
        WriteConflictException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,
        _ => false,
    };

    /// <summary>Passes a filtered scope's access keys as the read's last parameter (<see cref="FilteredSql"/>).</summary>
    private static void AddReadKeys(NpgsqlCommand command, ReadScope scope)
    {
        if (scope.ReadKeys is { } keys)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.ToArray() });
        }
    }

    /// <summary>Adds the parameters every page has: $1 the resource, $2 the candidates, $3 the rows and $4 the bytes of the budget.</summary>
    private static void AddPage(NpgsqlCommand command, string resource, PageBudget budget)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resource });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.MaxRows + 1 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.MaxRows });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.MaxBytes });
    }

    /// <summary>Reads a page of <see cref="PostgresSql.RowPage"/>'s shape: the sequence and the candidates' count on every row, no row for an empty page.</summary>
    private static async Task<RowPage> ReadRowPageAsync(NpgsqlCommand command, ReadScope scope, PageBudget budget, CancellationToken cancellationToken)
    {
        long sequence = 0, candidates = 0;
        var items = new List<RowItem>(Math.Min(budget.MaxRows, 256));
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequence = reader.GetInt64(0);
                if (!reader.IsDBNull(2))
                {
                    candidates = reader.GetInt64(1);
                    items.Add(ReadRow(reader, scope, 2));
                }
            }
        }

        return new RowPage(items, sequence, candidates > items.Count);
    }

    private static RowItem ReadRow(NpgsqlDataReader reader, ReadScope scope, int first) => new(
        reader.GetString(first),
        scope.OriginOf(reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2), reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1)),
        reader.GetInt64(first + 3),
        reader.GetInt64(first + 4),
        reader.GetFieldValue<byte[]>(first + 5));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "A write transaction lost a race to a concurrent writer and runs again (attempt {Attempt}): {Reason}")]
        public static partial void WriteRetried(ILogger logger, int attempt, string reason);
    }
}
