using Microsoft.Data.Sqlite;
using OfflineSync.Sqlite;

namespace OfflineSync;

/// <summary>
/// A durable mutation store in one SQLite file (WAL journal): the queue,
/// the ID map, the client id and sequence, and the optimistic-key counters survive restarts and
/// crashes (S4); so do the sets' server rows and feed positions (<see cref="FeedCheckpoint"/>, S15).
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="Durability.Full"/> (the default) every write is committed and synced to disk
/// before the call returns: a killed process or a power failure loses nothing that returned.
/// </para>
/// <para>
/// With <see cref="Durability.Batched"/> writes join an open transaction that is committed when
/// <see cref="SqliteMutationStoreOptions.BatchWindow"/> (10 ms by default) has passed since its
/// first write, by the next write or by a timer, and when <see cref="Flush"/> or
/// <see cref="Dispose"/> is called. A commit goes into the WAL without waiting for the disk; a second
/// connection then syncs it to disk at once, on a background thread, so the writer never waits for an
/// fsync. What a failure loses:
/// </para>
/// <list type="bullet">
/// <item><description>
/// The process is killed (or crashes): the writes of the open batch, made since the last commit — at
/// most one batch window of writes. Committed batches are in the operating system's cache and survive.
/// </description></item>
/// <item><description>
/// The machine loses power (or the operating system crashes): also the batches committed but not yet
/// synced — in practice the last window, plus the duration of one sync.
/// </description></item>
/// </list>
/// <para>
/// Either way a batch is lost as a whole: the file reopens in the state of a commit, so a completion's
/// removal and mapping (S3) are never split and the queue keeps its order. Such a mutation may already
/// have been pushed (the engine drains while the batch is open): the server then holds a change the
/// client has forgotten, which comes back through the change feed. Sequence numbers and optimistic-key
/// counters are never reused even then: they are reserved ahead and synced to disk before any value
/// under the reservation is handed out, so a crash leaves a gap, never a repeat; a clean
/// <see cref="Dispose"/> stores the exact values. <see cref="Flush"/> makes everything durable.
/// </para>
/// <para>
/// Thread safety: every member takes the store's lock, so the engine's calls and the batch timer
/// never interleave. One store per file at a time: a second process writing the same file breaks
/// the sequence guarantees.
/// </para>
/// <para>
/// <see cref="Open(string, SqliteMutationStoreOptions?)"/> refuses, with a <see cref="SyncStoreException"/> and without writing to it, a
/// file that is not SQLite, a SQLite database of another application, a damaged store, and a store
/// written by a newer OfflineSync (a newer schema is never overwritten). Older schemas are migrated
/// forward.
/// </para>
/// </remarks>
public sealed class SqliteMutationStore : IMutationStore
{
    // Reserved ahead on disk in Batched mode; a crash leaves at most this gap.
    private const long SequenceReserve = 4096;
    private const long CounterReserve = 64;
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly StoreCommands _commands;
    private readonly WriteBatch _batch;
    private readonly SqliteTelemetry _telemetry;
    private readonly WalSyncer? _syncer;
    private readonly bool _batched;
    private readonly string _clientId;
    private readonly Dictionary<string, CounterState> _counters = new(StringComparer.Ordinal);
    private long _lastSequence;
    private long _storedLastSequence;
    private bool _disposed;

    private SqliteMutationStore(string path, SqliteConnection connection, WalSyncer? syncer, SqliteMutationStoreOptions options, SqliteTelemetry telemetry)
    {
        _telemetry = telemetry;
        Path = path;
        Durability = options.Durability;
        _connection = connection;
        _syncer = syncer;
        _batched = syncer is not null;
        _commands = new StoreCommands(connection);
        _batch = new WriteBatch(_gate, _commands, syncer, options.BatchWindow, options.TimeProvider);
        (_clientId, _lastSequence) = StoreReader.ReadMeta(connection);
        _storedLastSequence = _lastSequence;
    }

    /// <summary>Gets the full path of the store's file.</summary>
    public string Path { get; }

    /// <summary>Gets when writes reach the disk.</summary>
    public Durability Durability { get; }

    /// <summary>Gets the number of writes in the open batch, not yet on disk (always 0 with <see cref="Durability.Full"/>).</summary>
    public int PendingWrites
    {
        get
        {
            lock (_gate)
            {
                return _batch.PendingWrites;
            }
        }
    }

    /// <summary>Opens the store in <paramref name="path"/>, creating the file if it does not exist.</summary>
    /// <param name="path">The file; the store uses it alone (SQLite adds <c>-wal</c> and <c>-shm</c> files beside it while open).</param>
    /// <param name="options">The durability; <see langword="null"/> for <see cref="Durability.Full"/>.</param>
    /// <returns>The open store; dispose it to commit the last batch and close the file.</returns>
    /// <exception cref="SyncStoreException">
    /// The file is not an OfflineSync store (another file type, another application's database), is
    /// damaged, was written by a newer OfflineSync, or cannot be opened. The message says which and
    /// what to do; the file is left as it was.
    /// </exception>
    public static SqliteMutationStore Open(string path, SqliteMutationStoreOptions? options = null) =>
        Open(path, options, SchemaMigrations.All);

    internal static SqliteMutationStore Open(string path, SqliteMutationStoreOptions? options, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SqliteMutationStoreOptions();
        options.Validate();
        string fullPath = System.IO.Path.GetFullPath(path);

        string connectionString = SqliteStoreConnection.ConnectionString(fullPath);
        var connection = new SqliteConnection(connectionString);
        WalSyncer? syncer = null;
        var telemetry = new SqliteTelemetry(options.LoggerFactory, options.MeterFactory);
        try
        {
            StoreFileInspector.EnsureOpenable(fullPath, migrations[^1].Version);
            connection.Open();
            UseWal(connection, fullPath);
            bool batched = options.Durability == Durability.Batched;

            // Batched commits do not wait for the disk: the syncer makes them durable, and copies the WAL
            // into the main file itself, so that no commit on the caller's thread does it either.
            SqliteStoreConnection.Configure(connection, synchronous: batched ? "NORMAL" : "FULL", autoCheckpoint: !batched);
            int latest = migrations[^1].Version;
            int previous = SchemaMigrator.Migrate(connection, fullPath, migrations, options.TimeProvider);
            if (previous != latest)
            {
                SqliteTelemetry.Migrated(telemetry.Logger, fullPath, previous, latest);
            }

            if (batched)
            {
                syncer = new WalSyncer(connectionString);
            }

            var store = new SqliteMutationStore(fullPath, connection, syncer, options, telemetry);
            SqliteTelemetry.Opened(telemetry.Logger, fullPath, latest, options.Durability);
            return store;
        }
        catch (SqliteException e)
        {
            syncer?.Dispose();
            connection.Dispose();
            var error = new SyncStoreException(
                $"'{fullPath}' cannot be opened as an OfflineSync store: {e.Message}. Check that the folder is writable and that no other process is using the file.",
                e);
            SqliteTelemetry.OpenFailed(telemetry.Logger, fullPath, error);
            telemetry.Dispose();
            throw error;
        }
        catch (Exception e)
        {
            syncer?.Dispose();
            connection.Dispose();
            SqliteTelemetry.OpenFailed(telemetry.Logger, fullPath, e);
            telemetry.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public StoreState Load()
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            try
            {
                return new StoreState(_clientId, _lastSequence, StoreReader.ReadMutations(_connection), StoreReader.ReadMappings(_connection));
            }
            catch (SqliteException e)
            {
                throw new SyncStoreException(
                    $"'{Path}' cannot be read ({e.Message}). If it is damaged, restore it from a backup, or move it away and let OfflineSync create a new store.",
                    e);
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="SyncStoreException">A mutation with the same sequence is queued, or the write failed.</exception>
    public void Append(StoredMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        lock (_gate)
        {
            ThrowIfUnusable();

            // Most appends are the insert alone: the sequence is recorded only when it passes the stored one.
            _batch.BeginOperation(singleStatement: mutation.Sequence <= _storedLastSequence);
            long storedLast = _storedLastSequence;
            try
            {
                _commands.InsertMutation(mutation);
                if (mutation.Sequence > storedLast)
                {
                    // Full records the exact sequence; Batched reserves ahead so a lost batch never
                    // hands out a sequence (and so an idempotency key) the server has seen.
                    storedLast = _batched ? mutation.Sequence + SequenceReserve : mutation.Sequence;
                    _commands.SetLastSequence(storedLast);
                }
            }
            catch (SqliteException e)
            {
                _batch.AbortOperation();
                throw e.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey
                    ? new SyncStoreException($"A mutation with sequence {mutation.Sequence} is already queued.", e)
                    : WriteFailed("append a mutation", e);
            }

            bool reserved = storedLast != _storedLastSequence;
            _storedLastSequence = storedLast;
            _lastSequence = Math.Max(_lastSequence, mutation.Sequence);
            _batch.EndOperation(durableNow: reserved);
        }
    }

    /// <inheritdoc/>
    public void Update(StoredMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        Write(mutation, static (commands, m) => commands.UpdateMutation(m), "update a mutation");
    }

    /// <inheritdoc/>
    public void Remove(IReadOnlyCollection<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return;
        }

        Write(
            sequences,
            static (commands, all) =>
            {
                foreach (long sequence in all)
                {
                    commands.DeleteMutation(sequence);
                }
            },
            "remove mutations");
    }

    /// <inheritdoc/>
    public void Complete(long sequence, IdMapping? mapping)
    {
        // One operation, so one transaction (Full) or one savepoint inside the batch (Batched): S3.
        Write(
            (sequence, mapping),
            static (commands, state) =>
            {
                commands.DeleteMutation(state.sequence);
                if (state.mapping is not null)
                {
                    commands.InsertMapping(state.mapping);
                }
            },
            "complete a mutation");
    }

    /// <inheritdoc/>
    public void Complete(IReadOnlyList<CompletedMutation> completed, IReadOnlyList<StoredMutation> updated, IReadOnlyList<FeedCheckpointWrite> keptRows)
    {
        ArgumentNullException.ThrowIfNull(completed);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(keptRows);

        // One operation, so one transaction (Full) or one savepoint inside the batch (Batched): the whole answer or none of it.
        Write(
            (completed, updated, keptRows),
            static (commands, state) =>
            {
                foreach (CompletedMutation mutation in state.completed)
                {
                    commands.DeleteMutation(mutation.Sequence);
                    if (mutation.Mapping is not null)
                    {
                        commands.InsertMapping(mutation.Mapping);
                    }
                }

                foreach (StoredMutation mutation in state.updated)
                {
                    commands.UpdateMutation(mutation);
                }

                foreach (FeedCheckpointWrite write in state.keptRows)
                {
                    commands.WriteFeed(write);
                }
            },
            "record a push's answer");
    }

    /// <inheritdoc/>
    public void AddMapping(IdMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        Write(mapping, static (commands, m) => commands.InsertMapping(m), "record an ID mapping");
    }

    /// <inheritdoc/>
    public long NextOptimisticCounter(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            ThrowIfUnusable();
            return _batched ? NextReservedCounter(resource) : Write(resource, static (commands, r) => commands.IncrementCounter(r), "advance a counter");
        }
    }

    /// <inheritdoc/>
    public void Clear() => Write(0, static (commands, _) => commands.DeleteAllMutations(), "clear the queue");

    /// <inheritdoc/>
    public FeedCheckpoint? LoadFeedCheckpoint(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            ThrowIfUnusable();
            try
            {
                return StoreReader.ReadFeed(_connection, resource);
            }
            catch (SqliteException e)
            {
                throw new SyncStoreException($"'{Path}' cannot be read ({e.Message}). If it is damaged, restore it from a backup, or move it away and let OfflineSync create a new store.", e);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Joins the open batch with <see cref="Durability.Batched"/>; with <see cref="Durability.Full"/> it is its own
    /// transaction. It holds the store's lock while it runs, so a mutation made meanwhile waits for it: the caller keeps
    /// each write to a few hundred rows.
    /// </remarks>
    public void WriteFeedCheckpoint(FeedCheckpointWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(write, static (commands, w) => commands.WriteFeed(w), "write a feed checkpoint");
    }

    /// <summary>
    /// Commits the open batch now and syncs every committed batch to disk before returning
    /// (<see cref="Durability.Batched"/>); does nothing with <see cref="Durability.Full"/>, where every write already is.
    /// </summary>
    /// <exception cref="SyncStoreException">The commit or the sync failed.</exception>
    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            _batch.CommitDurably();
        }
    }

    /// <summary>Commits the open batch, with the exact last sequence and counters, syncs it to disk and closes the file.</summary>
    /// <exception cref="SyncStoreException">The last commit failed; the file is closed anyway.</exception>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (_batch.Failure is null)
                {
                    ReleaseReservations();
                    _batch.CommitDurably();
                }
            }
            finally
            {
                _batch.Dispose();
                _syncer?.Dispose();
                _commands.Dispose();
                _connection.Dispose();
                _telemetry.Dispose();
            }
        }
    }

    private long NextReservedCounter(string resource)
    {
        if (!_counters.TryGetValue(resource, out CounterState? counter))
        {
            long stored = _commands.ReadCounter(resource);
            counter = new CounterState { Next = stored, Stored = stored };
            _counters.Add(resource, counter);
        }

        long next = counter.Next + 1;
        if (next > counter.Stored)
        {
            long reserve = next + CounterReserve - 1;
            _batch.BeginOperation();
            try
            {
                _commands.SetCounter(resource, reserve);
            }
            catch (SqliteException e)
            {
                _batch.AbortOperation();
                throw WriteFailed("advance a counter", e);
            }

            // Commit at once: the reservation must be on disk before any key under it is handed out.
            _batch.EndOperation(durableNow: true);
            counter.Stored = reserve;
        }

        counter.Next = next;
        return next;
    }

    // Lowers the on-disk reservations of Batched mode to the values really used, so that a clean
    // close leaves no gap.
    private void ReleaseReservations()
    {
        if (!_batched)
        {
            return;
        }

        _batch.BeginOperation();
        if (_storedLastSequence != _lastSequence)
        {
            _commands.SetLastSequence(_lastSequence);
            _storedLastSequence = _lastSequence;
        }

        foreach ((string resource, CounterState counter) in _counters)
        {
            if (counter.Stored != counter.Next)
            {
                _commands.SetCounter(resource, counter.Next);
                counter.Stored = counter.Next;
            }
        }

        _batch.EndOperation(durableNow: true);
    }

    private void Write<TState>(TState state, Action<StoreCommands, TState> operation, string what) =>
        Write(
            (state, operation),
            static (commands, s) =>
            {
                s.operation(commands, s.state);
                return 0;
            },
            what);

    private TResult Write<TState, TResult>(TState state, Func<StoreCommands, TState, TResult> operation, string what)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            _batch.BeginOperation();
            TResult result;
            try
            {
                result = operation(_commands, state);
            }
            catch (SqliteException e)
            {
                _batch.AbortOperation();
                throw WriteFailed(what, e);
            }

            _batch.EndOperation(durableNow: false);
            return result;
        }
    }

    private SyncStoreException WriteFailed(string what, SqliteException e)
    {
        _telemetry.WriteFailed(Path, what, e);
        return new($"The store '{Path}' could not {what} ({e.Message}); nothing of this call was stored. Check the disk (space, permissions) and retry.", e);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_batch.Failure is { } failure)
        {
            throw new SyncStoreException(failure.Message, failure);
        }
    }

    private static void UseWal(SqliteConnection connection, string path)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        if (!string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new SyncStoreException($"'{path}' cannot use SQLite's WAL journal (is it on a network file system?). Put the store on a local disk.");
        }
    }

    private sealed class CounterState
    {
        public long Next { get; set; }

        public long Stored { get; set; }
    }
}
