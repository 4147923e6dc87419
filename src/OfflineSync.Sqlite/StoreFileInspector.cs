using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>
/// Decides, before anything writes to it, whether a file may be opened as a store: a new or empty
/// file, or an OfflineSync store of a schema version this code knows. Everything else is refused
/// with a <see cref="SyncStoreException"/> that says what the file is and what to do, and the
/// file is left as it was: it is only read, through a read-only connection.
/// </summary>
internal static class StoreFileInspector
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>Refuses any file that is not a new, empty or compatible store.</summary>
    /// <param name="path">The full path of the file.</param>
    /// <param name="latestVersion">The newest schema version this code knows.</param>
    public static void EnsureOpenable(string path, int latestVersion)
    {
        if (Directory.Exists(path))
        {
            throw new SyncStoreException($"'{path}' is a directory, not an OfflineSync store file. Pass the path of a file.");
        }

        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return; // A new store: SQLite treats an empty file as an empty database.
        }

        EnsureSqliteHeader(path);
        Inspect(path, latestVersion);
    }

    private static void EnsureSqliteHeader(string path)
    {
        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SyncStoreException($"'{path}' cannot be read ({e.Message}). Check the path and its permissions.", e);
        }

        if (read < header.Length || !header.SequenceEqual(SqliteMagic))
        {
            throw NotSqlite(path, null);
        }
    }

    private static void Inspect(string path, int latestVersion)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            // Without a -wal file the file itself is all there is to read: immutable keeps SQLite from
            // leaving -wal and -shm files beside a file that may not be ours. With one, its committed
            // frames (a crash before a checkpoint) must be read too.
            DataSource = File.Exists(path + "-wal") ? path : new Uri(path).AbsoluteUri + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            long applicationId = ExecuteInt64(connection, "PRAGMA application_id");
            List<string> tables = ReadTables(connection);
            if (applicationId == SchemaMigrations.ApplicationId)
            {
                EnsureKnownVersion(connection, path, tables, latestVersion);
            }
            else if (applicationId != 0 || tables.Count > 0)
            {
                throw Foreign(path, applicationId, tables);
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteNotADatabase)
        {
            throw NotSqlite(path, e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteCorrupt)
        {
            throw Damaged(path, e.Message, e);
        }
        catch (SqliteException e)
        {
            throw new SyncStoreException(
                $"'{path}' cannot be opened as an OfflineSync store: {e.Message}. Nothing was changed. Check that the file is readable and not locked by another program.",
                e);
        }
    }

    private static void EnsureKnownVersion(SqliteConnection connection, string path, List<string> tables, int latestVersion)
    {
        if (!tables.Contains("schema_version"))
        {
            throw Damaged(path, "it is marked as an OfflineSync store but has no schema_version table", null);
        }

        long version = ExecuteInt64(connection, "SELECT coalesce(max(version), 0) FROM schema_version");
        if (version > latestVersion)
        {
            throw new SyncStoreException(
                $"'{path}' is an OfflineSync store of schema version {version}, written by a newer OfflineSync; this version knows schema versions up to {latestVersion}. " +
                "Nothing was changed. Open it with the newer OfflineSync, or use another file with this one.");
        }
    }

    private static List<string> ReadTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static long ExecuteInt64(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SyncStoreException NotSqlite(string path, Exception? inner)
    {
        const string What = "is not an OfflineSync store: it is not a SQLite database (another kind of file, an encrypted database, or a damaged one).";
        const string Todo = "Nothing was changed. Pass the path of the app's sync store, or move this file away and let OfflineSync create a new store.";
        return inner is null
            ? new SyncStoreException($"'{path}' {What} {Todo}")
            : new SyncStoreException($"'{path}' {What} {Todo}", inner);
    }

    private static SyncStoreException Damaged(string path, string detail, Exception? inner)
    {
        string message =
            $"'{path}' is a damaged SQLite database ({detail}). Nothing was changed. " +
            "Restore it from a backup, or move it away and let OfflineSync create a new store (its pending mutations are then lost).";
        return inner is null ? new SyncStoreException(message) : new SyncStoreException(message, inner);
    }

    private static SyncStoreException Foreign(string path, long applicationId, List<string> tables)
    {
        var what = new StringBuilder();
        what.Append(CultureInfo.InvariantCulture, $"'{path}' is a SQLite database of another application");
        if (applicationId != 0)
        {
            what.Append(CultureInfo.InvariantCulture, $" (application_id 0x{applicationId:X8})");
        }

        what.Append(tables.Count == 0 ? " with no tables" : $" with tables {string.Join(", ", tables.Take(10))}");
        if (tables.Count > 10)
        {
            what.Append(CultureInfo.InvariantCulture, $" and {tables.Count - 10} more");
        }

        what.Append(", not an OfflineSync store. Nothing was changed. Give the OfflineSync store a file of its own.");
        return new SyncStoreException(what.ToString());
    }
}
