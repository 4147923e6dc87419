using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage;

/// <summary>The read queries; each runs on a reader connection beside the writer.</summary>
internal static class SyncReads
{
    private const string HeadSql = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0);";

    /// <summary>One row of a list page or a snapshot, with the client that created it.</summary>
    public readonly record struct RowItem(string Key, string? OriginOptimisticKey, string? ClientId, long Version, long Sequence, byte[] Json);

    /// <summary>Reads one page ordered by key, and the change sequence the page is consistent with, in one snapshot.</summary>
    public static (List<RowItem> Items, long Sequence, bool HasMore) ListPage(SqliteConnection connection, string resource, string? after, int limit)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long head = Head(connection, transaction);
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = after is null
            ? "SELECT key, origin_optimistic_key, client_id, version, seq, json FROM rows WHERE resource = $resource AND deleted = 0 ORDER BY key LIMIT $limit;"
            : "SELECT key, origin_optimistic_key, client_id, version, seq, json FROM rows WHERE resource = $resource AND deleted = 0 AND key > $after ORDER BY key LIMIT $limit;";
        command.Parameters.AddWithValue("$resource", resource);
        command.Parameters.AddWithValue("$limit", limit + 1);
        if (after is not null)
        {
            command.Parameters.AddWithValue("$after", after);
        }

        List<RowItem> items = ReadRows(command, limit + 1);
        bool hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return (items, head, hasMore);
    }

    /// <summary>Reads one live row.</summary>
    public static RowItem? GetRow(SqliteConnection connection, string resource, string key)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT key, origin_optimistic_key, client_id, version, seq, json FROM rows WHERE resource = $resource AND key = $key AND deleted = 0;";
        command.Parameters.AddWithValue("$resource", resource);
        command.Parameters.AddWithValue("$key", key);
        List<RowItem> rows = ReadRows(command, 1);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Streams the live rows of a resource ordered by the sequence of their last change, all from one
    /// snapshot taken at <paramref name="head"/>. Ordered that way, the snapshot is a compacted change
    /// log: a client cut off after row n resumes from that row's sequence without a gap.
    /// </summary>
    public static IEnumerable<RowItem> Snapshot(SqliteConnection connection, string resource, Action<long> head)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        head(Head(connection, transaction));
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT key, origin_optimistic_key, client_id, version, seq, json FROM rows WHERE resource = $resource AND deleted = 0 ORDER BY seq;";
        command.Parameters.AddWithValue("$resource", resource);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadRow(reader);
        }
    }

    /// <summary>Reads up to <paramref name="limit"/> changes of a resource after <paramref name="after"/>.</summary>
    public static List<StoredChange> ChangesAfter(SqliteConnection connection, string resource, long after, int limit)
    {
        using SqliteCommand command = connection.CreateCommand();
        // A row's creating client never changes, so the change log does not repeat it: the row's primary key finds it.
        command.CommandText = """
            SELECT c.seq, c.key, c.kind, c.version, c.origin_optimistic_key, c.json, r.client_id
            FROM changes c LEFT JOIN rows r ON r.resource = c.resource AND r.key = c.key
            WHERE c.resource = $resource AND c.seq > $after ORDER BY c.seq LIMIT $limit;
            """;
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
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5)));
        }

        return changes;
    }

    private static long Head(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = HeadSql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<RowItem> ReadRows(SqliteCommand command, int capacity)
    {
        var items = new List<RowItem>(Math.Min(capacity, 256));
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(ReadRow(reader));
        }

        return items;
    }

    private static RowItem ReadRow(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetInt64(3),
        reader.GetInt64(4),
        (byte[])reader.GetValue(5));
}
