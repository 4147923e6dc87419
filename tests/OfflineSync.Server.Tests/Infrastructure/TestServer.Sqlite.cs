using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>The test server's store: a SQLite file in a temporary folder of its own.</summary>
public sealed partial class TestServer
{
    /// <summary>Gets the server's SQLite file.</summary>
    public string DatabasePath => _store.Path;

    private sealed class Store
    {
        private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));

        public Store() => Directory.CreateDirectory(_directory);

        public string Path => System.IO.Path.Combine(_directory, "server.db");

        public void Configure(SyncServerOptions options) => options.UseSqlite(Path);

        public long Count(string tableAndCondition)
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {tableAndCondition};";
            return (long)command.ExecuteScalar()!;
        }

        public long HeldByReaders()
        {
            // A TRUNCATE checkpoint completes only when no reader is inside the WAL: "busy" says one is.
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 1 }.ToString());
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? reader.GetInt64(0) : 0;
        }

        public int Execute(string sql, string value)
        {
            using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@value", value);
            return command.ExecuteNonQuery();
        }

        public void Delete()
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the OS is left for the temp cleaner.
            }
        }
    }
}
