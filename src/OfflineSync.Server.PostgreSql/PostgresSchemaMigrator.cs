using System.Globalization;
using Npgsql;

namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// Brings the store's schema to <see cref="PostgresSchema.Version"/> when an instance starts: in one
/// transaction under an advisory lock, so instances starting at once wait for each other instead of
/// failing on each other's <c>CREATE</c>s, and a failed step leaves the database as it was. A database of a
/// newer layout is refused.
/// </summary>
internal static class PostgresSchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        AdvisoryLocks locks = AdvisoryLocks.For(schema);
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({locks.Migration}, {locks.Schema});", cancellationToken).ConfigureAwait(false);

        // Under the lock, each statement sees what an instance that held it before committed.
        await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.schema_version (version integer NOT NULL);", cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version;", connection);
        object? stored = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        int version = stored is null ? 0 : Convert.ToInt32(stored, CultureInfo.InvariantCulture);
        if (version > PostgresSchema.Version)
        {
            throw new InvalidOperationException($"The schema '{schema}' was written by a newer OfflineSync server (layout {version}; this server knows up to {PostgresSchema.Version}).");
        }

        for (int step = version; step < PostgresSchema.Version; step++)
        {
            await ExecuteAsync(connection, string.Format(CultureInfo.InvariantCulture, PostgresSchema.Steps[step], schema), cancellationToken).ConfigureAwait(false);
        }

        if (version != PostgresSchema.Version)
        {
            await ExecuteAsync(connection, $"DELETE FROM {schema}.schema_version; INSERT INTO {schema}.schema_version (version) VALUES ({PostgresSchema.Version});", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
