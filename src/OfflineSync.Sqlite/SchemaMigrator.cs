using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>Brings a new or older store to the newest schema this code knows, in one transaction.</summary>
internal static class SchemaMigrator
{
    /// <summary>Applies the migrations the file lacks; a crash midway leaves the file as it was.</summary>
    /// <param name="connection">The open connection to the file.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="migrations">Every migration, oldest first.</param>
    /// <param name="time">The store's clock: each applied migration records when.</param>
    /// <returns>The schema version of the file afterwards.</returns>
    public static int Migrate(SqliteConnection connection, string path, IReadOnlyList<SchemaMigration> migrations, TimeProvider time)
    {
        int latest = migrations[^1].Version;
        if (ReadVersion(connection) == latest)
        {
            return latest;
        }

        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            Execute(connection, SchemaMigrations.CreateVersionTable);
            int current = ReadVersion(connection);
            if (current > latest)
            {
                // Another process upgraded the file between the inspection and now.
                throw new SyncStoreException(
                    $"'{path}' is an OfflineSync store of schema version {current}, written by a newer OfflineSync; this version knows schema versions up to {latest}. " +
                    "Nothing was changed. Open it with the newer OfflineSync, or use another file with this one.");
            }

            foreach (SchemaMigration migration in migrations)
            {
                if (migration.Version > current)
                {
                    Apply(connection, migration, time);
                }
            }

            if (current == 0)
            {
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {SchemaMigrations.ApplicationId}"));
            }

            Execute(connection, "COMMIT");
            return latest;
        }
        catch
        {
            Execute(connection, "ROLLBACK");
            throw;
        }
    }

    private static void Apply(SqliteConnection connection, SchemaMigration migration, TimeProvider time)
    {
        Execute(connection, migration.Sql);
        using SqliteCommand record = connection.CreateCommand();
        record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $at)";
        record.Parameters.AddWithValue("$version", migration.Version);
        record.Parameters.AddWithValue("$description", migration.Description);
        record.Parameters.AddWithValue("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        record.ExecuteNonQuery();
    }

    private static int ReadVersion(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        return checked((int)(long)command.ExecuteScalar()!);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
