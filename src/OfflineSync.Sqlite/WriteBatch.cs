using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfflineSync.Sqlite;

/// <summary>
/// Decides when the store's writes commit. <see cref="Durability.Full"/>: every operation is its
/// own transaction, committed before the call returns. <see cref="Durability.Batched"/>: operations
/// join one open transaction (each of several statements inside a savepoint, so a failed operation
/// undoes only itself; SQLite undoes a failed single statement by itself)
/// that commits once the batch window has passed since its first write — on the next write, or on
/// a timer when no write comes — or when the store asks for it.
/// </summary>
/// <remarks>Every member except the timer callback is called under the store's lock; the callback takes it.</remarks>
internal sealed class WriteBatch : IDisposable
{
    private readonly object _gate;
    private readonly StoreCommands _commands;
    private readonly bool _batched;
    private readonly TimeSpan _window;
    private readonly Timer? _timer;
    private long _startedAt;
    private int _writes;
    private bool _open;
    private bool _savepoint;
    private bool _disposed;

    public WriteBatch(object gate, StoreCommands commands, Durability durability, TimeSpan window)
    {
        _gate = gate;
        _commands = commands;
        _batched = durability == Durability.Batched;
        _window = window;
        if (_batched)
        {
            _timer = new Timer(static state => ((WriteBatch)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>Gets why the store can no longer be trusted: a batch that had returned writes was lost.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Gets the number of operations waiting in the open batch (0 with <see cref="Durability.Full"/> between calls).</summary>
    public int PendingWrites => _open ? _writes : 0;

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
            _startedAt = Stopwatch.GetTimestamp();
            _timer?.Change(_window, Timeout.InfiniteTimeSpan);
        }

        _savepoint = _batched && !singleStatement;
        if (_savepoint)
        {
            _commands.Savepoint();
        }
    }

    /// <summary>Ends a successful operation; commits now when durability, the window or <paramref name="commitNow"/> says so.</summary>
    public void EndOperation(bool commitNow)
    {
        if (_savepoint)
        {
            _commands.Release();
            _savepoint = false;
        }

        _writes++;
        if (!_batched || commitNow || Stopwatch.GetElapsedTime(_startedAt) >= _window)
        {
            Commit();
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
            else if (!_batched)
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

    /// <summary>Commits the open batch, if any.</summary>
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

            TimeSpan left = _window - Stopwatch.GetElapsedTime(_startedAt);
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
            }
        }
    }

    private void LoseBatch(Exception? cause)
    {
        // With Full durability the failed operation is the whole transaction and its caller is told.
        // A batch also held operations that had already returned: they are lost, so the store is unusable.
        if (_batched && _writes > 0)
        {
            Failure ??= new SyncStoreException(
                $"A batched commit failed and the {_writes} write(s) of its batch were lost. Dispose the store and open it again; the engine then continues from what was committed.",
                cause ?? new IOException("SQLite rolled the transaction back."));
        }
    }
}
