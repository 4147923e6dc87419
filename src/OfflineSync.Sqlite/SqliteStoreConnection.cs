using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>How the store's connections to its file are opened and set up: one place for both of them.</summary>
internal static class SqliteStoreConnection
{
    /// <summary>How long a statement waits for a lock another connection holds (the store's syncer, a backup tool).</summary>
    private const int BusyTimeoutMilliseconds = 5000;

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false, // Dispose must really close the file.
        DefaultTimeout = BusyTimeoutMilliseconds / 1000,
    }.ToString();

    /// <summary>Sets how commits reach the disk and how long to wait for a lock.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="synchronous"><c>FULL</c>: a commit returns once on disk; <c>NORMAL</c>: once in the OS's cache (WAL), synced by checkpoints.</param>
    /// <param name="autoCheckpoint">Whether commits copy the WAL into the main file by themselves; off when a <see cref="WalSyncer"/> does it.</param>
    public static void Configure(SqliteConnection connection, string synchronous, bool autoCheckpoint = true)
    {
        using SqliteCommand command = connection.CreateCommand();

        // Statements on the native handle (RawStatement) do not go through Microsoft.Data.Sqlite's busy retries.
        command.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = {synchronous}; PRAGMA wal_autocheckpoint = {(autoCheckpoint ? 1000 : 0)}");
        command.ExecuteNonQuery();
    }
}
