using Microsoft.Data.Sqlite;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>
/// Opens a database file at the current <see cref="SqliteSchema.Version"/>: creates a new file, migrates an
/// older one in one transaction (a crash midway leaves it as it was), and refuses a newer one.
/// </summary>
internal static class SqliteSchemaMigrator
{
    public static void Open(SqliteConnection connection)
    {
        long version = Scalar(connection, null, "PRAGMA user_version;");
        if (version > SqliteSchema.Version)
        {
            throw new InvalidOperationException($"The database was written by a newer OfflineSync server (layout {version}; this server knows up to {SqliteSchema.Version}).");
        }

        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        if (version == 0 && Scalar(connection, transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'idempotency';") > 0)
        {
            MigrateIdempotencyFrom0(connection, transaction);
        }

        bool logOfLayout1 = version < 2 && Scalar(connection, transaction, "SELECT COUNT(*) FROM pragma_table_info('changes') WHERE name = 'json';") > 0;
        if (Scalar(connection, transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'rows';") > 0
            && Scalar(connection, transaction, "SELECT COUNT(*) FROM pragma_table_info('rows') WHERE name = 'access';") == 0)
        {
            // Layouts before 3: rows get no access, readable by everyone on a resource without a policy, by no one under one.
            Execute(connection, transaction, "ALTER TABLE rows ADD COLUMN access TEXT;");
        }

        Execute(connection, transaction, SqliteSchema.Create);
        if (logOfLayout1)
        {
            MigrateChangesFrom1(connection, transaction);
        }

        Execute(connection, transaction, $"PRAGMA user_version = {SqliteSchema.Version};");
        transaction.Commit();
    }

    /// <summary>
    /// Layouts 0 and 1 kept every change with a copy of its row. The log keeps each row's last change only, weighed,
    /// without the copy (the row holds the data): a reader at any position still reads every row changed after it. The
    /// prune point that held for every resource becomes each resource's own, and the log's size is counted.
    /// </summary>
    private static void MigrateChangesFrom1(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, $"""
        DELETE FROM changes WHERE NOT EXISTS (SELECT 1 FROM rows r WHERE r.resource = changes.resource AND r.key = changes.key AND r.seq = changes.seq);
        ALTER TABLE changes ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
        UPDATE changes SET bytes = length(key) + COALESCE((SELECT length(r.json) FROM rows r WHERE r.resource = changes.resource AND r.key = changes.key), 0);
        ALTER TABLE changes DROP COLUMN json;
        ALTER TABLE changes DROP COLUMN origin_optimistic_key;
        ALTER TABLE changes DROP COLUMN version;
        INSERT INTO prune_points (resource, through)
            SELECT DISTINCT r.resource, m.value FROM rows r JOIN meta m ON m.name = '{MetaNames.PrunedThrough}' AND m.value > 0 WHERE true
            ON CONFLICT (resource) DO NOTHING;
        INSERT INTO meta (name, value) SELECT '{MetaNames.RetainedChanges}', COUNT(*) FROM changes WHERE true ON CONFLICT (name) DO UPDATE SET value = excluded.value;
        INSERT INTO meta (name, value) SELECT '{MetaNames.RetainedBytes}', COALESCE(SUM(bytes), 0) FROM changes WHERE true ON CONFLICT (name) DO UPDATE SET value = excluded.value;
        """);

    /// <summary>
    /// Layout 0 kept idempotency records by key alone, with fingerprints of the request alone. Each record
    /// moves to the client its key names — the client library's keys end in <c>:{clientId}:{sequence}</c>
    /// (<c>:r{n}</c> after a conflict re-send) — with its fingerprint bound to that client, so a retry of a
    /// write applied before the upgrade is still replayed, not applied twice. A key that names no client
    /// becomes the anonymous client's.
    /// </summary>
    private static void MigrateIdempotencyFrom0(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, transaction, "ALTER TABLE idempotency RENAME TO idempotency_layout0;");
        Execute(connection, transaction, SqliteSchema.Create);
        using (SqliteCommand read = Command(connection, transaction, "SELECT key, request_hash, status, entity_key, optimistic_key, version, body, expires_at FROM idempotency_layout0;"))
        using (SqliteCommand insert = Command(connection, transaction, "INSERT OR IGNORE INTO idempotency (client_id, key, request_hash, status, entity_key, optimistic_key, version, body, expires_at) VALUES ($client, $key, $hash, $status, $entity, $optimistic, $version, $body, $expires);"))
        {
            foreach (string name in (string[])["$client", "$key", "$hash", "$status", "$entity", "$optimistic", "$version", "$body", "$expires"])
            {
                insert.Parameters.Add(new SqliteParameter(name, null));
            }

            using SqliteDataReader reader = read.ExecuteReader();
            while (reader.Read())
            {
                string key = reader.GetString(0);
                string client = ClientNamedBy(key) ?? IdempotencyRecord.AnonymousClient;
                insert.Parameters[0].Value = client;
                insert.Parameters[1].Value = key;
                insert.Parameters[2].Value = RequestFingerprint.Bind(client, (byte[])reader.GetValue(1));
                for (int column = 2; column < 8; column++)
                {
                    insert.Parameters[column + 1].Value = reader.GetValue(column);
                }

                insert.ExecuteNonQuery();
            }
        }

        Execute(connection, transaction, "DROP TABLE idempotency_layout0;");
    }

    /// <summary>The client id in a key of the form <c>{resource}:{kind}:{key}:{clientId}:{sequence}[:r{n}]</c>, or <see langword="null"/>.</summary>
    internal static string? ClientNamedBy(string idempotencyKey)
    {
        string[] parts = idempotencyKey.Split(':');
        int end = parts.Length;
        if (end > 0 && parts[end - 1] is ['r', .. var resend] && IsDigits(resend))
        {
            end--;
        }

        if (end < 5 || !IsDigits(parts[end - 1]) || parts[1] is not ("create" or "update" or "delete"))
        {
            return null;
        }

        string client = parts[end - 2];
        return SyncLimits.IsValidClientId(client) ? client : null;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
