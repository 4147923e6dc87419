using Microsoft.Data.Sqlite;

namespace OfflineSync.Benchmarks.Store;

/// <summary>
/// The disk's limit for durable single writes: one row per transaction into a SQLite file with the
/// store's settings (WAL, <c>synchronous=FULL</c>), so every commit waits for the disk.
/// </summary>
internal sealed class RawInsertLoop : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _payload;
    private long _sequence;

    public RawInsertLoop(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using (SqliteCommand setup = _connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS rows (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
            setup.ExecuteNonQuery();
        }

        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO rows (seq, payload) VALUES ($seq, $payload)";
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _payload = _insert.Parameters.Add("$payload", SqliteType.Blob);
        _insert.Prepare();
    }

    /// <summary>Inserts one row in its own transaction; returns when the commit is on disk.</summary>
    public void Insert(byte[] payload)
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        _insert.Parameters[0].Value = ++_sequence;
        _payload.Value = payload;
        _insert.ExecuteNonQuery();
        transaction.Commit();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }
}
