using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfflineSync.Sqlite;

/// <summary>
/// Decides when the store's writes commit and reach the disk. <see cref="Durability.Full"/>: every
/// operation is its own transaction, committed and synced before the call returns.
/// <see cref="Durability.Batched"/>: operations join one open transaction (each of several statements
/// inside a savepoint, so a failed operation undoes only itself; SQLite undoes a failed single statement
/// by itself) that commits once the batch window has passed since its first write — on the next write,
/// or on a timer when no write comes — or when the store asks for it. A batch commits into the WAL
/// without waiting for the disk; the <see cref="WalSyncer"/> then syncs it off the store's lock, at once
/// (a background thread) or before the call returns when the store needs it durable.
/// </summary>
/// <remarks>
/// Every member except the timer and sync callbacks is called under the store's lock; the callbacks take
/// it. Time comes from the store's <see cref="TimeProvider"/>, so tests drive the window with a fake clock.
/// </remarks>
internal sealed class WriteBatch : IDisposable
{
    private readonly object _gate;
    private readonly StoreCommands _commands;
    private readonly WalSyncer? _syncer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ITimer? _timer;
    private long _startedAt;
    private int _writes;
    private bool _open;
    private bool _savepoint;
    private bool _unsynced;
    private bool _disposed;

    /// <param name="gate">The store's lock.</param>
    /// <param name="commands">The store's statements.</param>
    /// <param name="syncer">The syncer of <see cref="Durability.Batched"/>; <see langword="null"/> for <see cref="Durability.Full"/>.</param>
    /// <param name="window">How long a batch stays open.</param>
    /// <param name="time">The store's clock.</param>
    public WriteBatch(object gate, StoreCommands commands, WalSyncer? syncer, TimeSpan window, TimeProvider time)
    {
        _gate = gate;
        _commands = commands;
        _syncer = syncer;
        _window = window;
        _time = time;
        if (syncer is not null)
        {
            _timer = time.CreateTimer(static state => ((WriteBatch)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Gets why the store can no longer be trusted: a batch that had returned writes was lost, or could not be synced.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Gets the number of operations waiting in the open batch (0 with <see cref="Durability.Full"/> between calls).</summary>
    public int PendingWrites => _open ? _writes : 0;

    private bool Batched => _syncer is not null;

    /// <summary>Starts an operation.</summary>
    /// <param name="singleStatement">
    /// Whether the operation is one SQL statement: SQLite backs out a failed statement alone, so in a batch
    /// it needs no savepoint of its own — two statements fewer on the hot path of an append.
    /// </param>
    public void BeginOperation(bool singleStatement = false)
    {
        if (!_open)
        {
            _commands.Begin();
            _open = true;
            _writes = 0;
            _startedAt = _time.GetTimestamp();
            _timer?.Change(_window, Timeout.InfiniteTimeSpan);
        }

        _savepoint = Batched && !singleStatement;
        if (_savepoint)
        {
            _commands.Savepoint();
        }
    }

    /// <summary>Ends a successful operation; commits when durability, the window or <paramref name="durableNow"/> says so.</summary>
    /// <param name="durableNow">Whether the operation must be on disk before the call returns (a reservation ahead).</param>
    public void EndOperation(bool durableNow)
    {
        if (_savepoint)
        {
            _commands.Release();
            _savepoint = false;
        }

        _writes++;
        if (!Batched)
        {
            Commit();
        }
        else if (durableNow)
        {
            CommitDurably();
        }
        else if (_time.GetElapsedTime(_startedAt) >= _window)
        {
            // The writer does not wait for the disk: the sync runs on a pool thread, without the store's lock.
            Commit();
            ThreadPool.UnsafeQueueUserWorkItem(static batch => batch.SyncCommitted(), this, preferLocal: false);
        }
    }

    /// <summary>Undoes a failed operation, and nothing else if SQLite kept the transaction.</summary>
    public void AbortOperation()
    {
        if (!_open)
        {
            return;
        }

        if (raw.sqlite3_get_autocommit(_commands.Connection.Handle) != 0)
        {
            // SQLite rolled the whole transaction back (I/O error, disk full): the batch is gone.
            _open = false;
            LoseBatch(null);
            return;
        }

        try
        {
            if (_savepoint)
            {
                _savepoint = false;
                _commands.RollbackToSavepoint();
                _commands.Release();
            }
            else if (!Batched)
            {
                _commands.Rollback();
                _open = false;
            }

            // Otherwise a single statement failed inside the batch: SQLite backed it out, the batch goes on.
        }
        catch (SqliteException e)
        {
            _open = false;
            LoseBatch(e);
        }
    }

    /// <summary>Commits the open batch, if any; with <see cref="Durability.Batched"/> it is then in the WAL, not yet synced.</summary>
    /// <exception cref="SyncStoreException">The commit failed; the batch was rolled back.</exception>
    public void Commit()
    {
        if (!_open)
        {
            return;
        }

        try
        {
            _commands.Commit();
            _open = false;
            _unsynced = Batched;
        }
        catch (SqliteException e)
        {
            if (raw.sqlite3_get_autocommit(_commands.Connection.Handle) == 0)
            {
                try
                {
                    _commands.Rollback();
                }
                catch (SqliteException)
                {
                    // The original error says more.
                }
            }

            _open = false;
            LoseBatch(e);
            throw new SyncStoreException($"Committing to the store failed ({e.Message}); the write was not stored. Check the disk (space, permissions) and retry.", e);
        }
    }

    /// <summary>Commits the open batch and, with <see cref="Durability.Batched"/>, syncs every commit to disk before returning.</summary>
    /// <exception cref="SyncStoreException">The commit or the sync failed.</exception>
    public void CommitDurably()
    {
        Commit();

        // Also when nothing is left unsynced: a background sync may still be running for the last commit,
        // and the syncer's lock makes this call wait for it.
        if (Batched)
        {
            _unsynced = false;
            try
            {
                _syncer!.Sync();
            }
            catch (SqliteException e)
            {
                throw SyncFailed(e);
            }
        }
    }

    /// <summary>Stops the timer; a callback already waiting for the lock then does nothing.</summary>
    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || !_open)
            {
                return;
            }

            TimeSpan left = _window - _time.GetElapsedTime(_startedAt);
            if (left > TimeSpan.Zero)
            {
                // A newer batch started after this callback was scheduled.
                _timer!.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }

            try
            {
                Commit();
            }
            catch (SyncStoreException)
            {
                // Recorded in Failure; the next call on the store reports it. Nothing may throw on a timer thread.
                return;
            }
        }

        SyncCommitted();
    }

    // Runs without the store's lock, so writes go on while the disk syncs.
    private void SyncCommitted()
    {
        lock (_gate)
        {
            if (_disposed || !_unsynced)
            {
                return;
            }

            _unsynced = false;
        }

        try
        {
            _syncer!.Sync();
        }
        catch (SqliteException e)
        {
            lock (_gate)
            {
                // Recorded in Failure; the next call on the store reports it.
                _ = SyncFailed(e);
            }
        }
    }

    private SyncStoreException SyncFailed(SqliteException e)
    {
        // The batches are committed but may not be on disk, and a power loss would take writes that returned.
        var failure = new SyncStoreException(
            $"Syncing the store's committed batches to disk failed ({e.Message}). Dispose the store and open it again; check the disk (space, permissions).",
            e);
        Failure ??= failure;
        return failure;
    }

    private void LoseBatch(Exception? cause)
    {
        // With Full durability the failed operation is the whole transaction and its caller is told.
        // A batch also held operations that had already returned: they are lost, so the store is unusable.
        if (Batched && _writes > 0)
        {
            Failure ??= new SyncStoreException(
                $"A batched commit failed and the {_writes} write(s) of its batch were lost. Dispose the store and open it again; the engine then continues from what was committed.",
                cause ?? new IOException("SQLite rolled the transaction back."));
        }
    }
}
