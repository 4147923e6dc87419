using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>The read queries of the SQLite store; each runs on a pooled read-only connection beside the writer (WAL).</summary>
internal static class SqliteReads
{
    private const string RowColumns = "key, origin_optimistic_key, client_id, version, seq, json";
    private const string HeadSql = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0);";

    /// <summary>Reads one page ordered by key, and the change sequence the page is consistent with, in one snapshot.</summary>
    public static RowPage ListPage(SqliteConnection connection, ReadScope scope, string? after, int limit)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long head = Scalar(connection, transaction, HeadSql);
        using SqliteCommand command = Command(connection, transaction, after is null
            ? $"SELECT {RowColumns} FROM rows WHERE resource = $resource AND deleted = 0 ORDER BY key LIMIT $limit;"
            : $"SELECT {RowColumns} FROM rows WHERE resource = $resource AND deleted = 0 AND key > $after ORDER BY key LIMIT $limit;");
        command.Parameters.AddWithValue("$resource", scope.Resource);
        command.Parameters.AddWithValue("$limit", limit + 1);
        if (after is not null)
        {
            command.Parameters.AddWithValue("$after", after);
        }

        var items = new List<RowItem>(Math.Min(limit + 1, 256));
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(ReadRow(reader, scope));
            }
        }

        bool hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new RowPage(items, head, hasMore);
    }

    /// <summary>Reads one live row.</summary>
    public static RowItem? GetRow(SqliteConnection connection, ReadScope scope, string key)
    {
        using SqliteCommand command = Command(connection, null, $"SELECT {RowColumns} FROM rows WHERE resource = $resource AND key = $key AND deleted = 0;");
        command.Parameters.AddWithValue("$resource", scope.Resource);
        command.Parameters.AddWithValue("$key", key);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadRow(reader, scope) : null;
    }

    /// <summary>Streams the live rows ordered by the sequence of their last change, all from one snapshot whose head goes to <paramref name="head"/>.</summary>
    public static IEnumerable<RowItem> Snapshot(SqliteConnection connection, ReadScope scope, Action<long> head)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        head(Scalar(connection, transaction, HeadSql));
        using SqliteCommand command = Command(connection, transaction, $"SELECT {RowColumns} FROM rows WHERE resource = $resource AND deleted = 0 ORDER BY seq;");
        command.Parameters.AddWithValue("$resource", scope.Resource);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadRow(reader, scope);
        }
    }

    /// <summary>Reads up to <paramref name="limit"/> changes of <paramref name="resource"/> after <paramref name="after"/>, with the log's bounds, in one snapshot.</summary>
    public static ChangePage ChangesAfter(SqliteConnection connection, string resource, long after, int limit)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long head = Scalar(connection, transaction, HeadSql);
        long prunedThrough = Scalar(connection, transaction, $"SELECT COALESCE((SELECT value FROM meta WHERE name = '{SqliteSchema.PrunedThrough}'), 0);");

        // A row's creating client never changes, so the change log does not repeat it: the row's primary key finds it.
        using SqliteCommand command = Command(connection, transaction, """
            SELECT c.seq, c.key, c.kind, c.version, c.origin_optimistic_key, c.json, r.client_id
            FROM changes c LEFT JOIN rows r ON r.resource = c.resource AND r.key = c.key
            WHERE c.resource = $resource AND c.seq > $after ORDER BY c.seq LIMIT $limit;
            """);
        command.Parameters.AddWithValue("$resource", resource);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        var changes = new List<StoredChange>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            changes.Add(new StoredChange(
                reader.GetInt64(0),
                reader.GetString(1),
                (StoredChangeKind)reader.GetInt64(2),
                reader.GetInt64(3),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5)));
        }

        return new ChangePage(changes, head, prunedThrough);
    }

    public static long Head(SqliteConnection connection) => Scalar(connection, null, HeadSql);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static RowItem ReadRow(SqliteDataReader reader, ReadScope scope) => new(
        reader.GetString(0),
        scope.OriginOf(reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(1) ? null : reader.GetString(1)),
        reader.GetInt64(3),
        reader.GetInt64(4),
        (byte[])reader.GetValue(5));
}
