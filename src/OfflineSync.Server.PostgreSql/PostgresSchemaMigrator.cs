using System.Globalization;
using Npgsql;

namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// Brings the store's schema to <see cref="PostgresSchema.Version"/> when an instance starts: in one
/// transaction under an advisory lock, so instances starting at once wait for each other instead of
/// failing on each other's <c>CREATE</c>s, and a failed step leaves the database as it was. A database of a
/// newer layout is refused. Synchronous, like the opening of a SQLite file: the server opens its store when the
/// first resource is mapped, before the host starts.
/// </summary>
internal static class PostgresSchemaMigrator
{
    public static void Migrate(NpgsqlDataSource dataSource, string schema)
    {
        AdvisoryLocks locks = AdvisoryLocks.For(schema);
        using NpgsqlConnection connection = dataSource.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({locks.Migration}, {locks.Schema});");

        // Under the lock, each statement sees what an instance that held it before committed.
        Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.schema_version (version integer NOT NULL);");
        using var read = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version;", connection);
        object? stored = read.ExecuteScalar();
        int version = stored is null ? 0 : Convert.ToInt32(stored, CultureInfo.InvariantCulture);
        if (version > PostgresSchema.Version)
        {
            throw new InvalidOperationException($"The schema '{schema}' was written by a newer OfflineSync server (layout {version}; this server knows up to {PostgresSchema.Version}).");
        }

        for (int step = version; step < PostgresSchema.Version; step++)
        {
            Execute(connection, string.Format(CultureInfo.InvariantCulture, PostgresSchema.Steps[step], schema));
        }

        if (version != PostgresSchema.Version)
        {
            Execute(connection, $"DELETE FROM {schema}.schema_version; INSERT INTO {schema}.schema_version (version) VALUES ({PostgresSchema.Version});");
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
