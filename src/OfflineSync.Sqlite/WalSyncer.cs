using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>
/// Makes the batches that <see cref="Durability.Batched"/> commits without waiting for the disk
/// (<c>synchronous=NORMAL</c>) durable, on a connection of its own so that the store's writes never wait
/// for it: a passive checkpoint first syncs the WAL — every transaction committed before it started is
/// then on disk — and copies it into the main file, which keeps the WAL short.
/// </summary>
/// <remarks>
/// Thread-safe: calls are serialized by its own lock, never the store's, so the store may call it
/// while holding its lock and the batch timer calls it without.
/// </remarks>
internal sealed class WalSyncer : IDisposable
{
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly RawStatement _checkpoint;
    private bool _disposed;

    public WalSyncer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            SqliteStoreConnection.Configure(_connection, synchronous: "FULL");
            _checkpoint = new RawStatement(_connection.Handle!, "PRAGMA wal_checkpoint(PASSIVE)");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Syncs every committed transaction to disk; does nothing once disposed.</summary>
    /// <exception cref="SqliteException">The sync or the copy failed.</exception>
    public void Sync()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _checkpoint.Execute();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _checkpoint.Dispose();
            _connection.Dispose();
        }
    }
}
