using Microsoft.Data.Sqlite;
using OfflineSync.Server.Access;

namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>
/// The read queries of the SQLite store; each runs on a pooled read-only connection beside the writer (WAL), in a read
/// transaction that ends before the caller sends anything: a transaction left open while a slow client reads would keep
/// the WAL from being checkpointed, and it would grow with every write.
/// </summary>
/// <remarks>
/// Pages are cut by size in SQL: a window over the page's candidate rows sums <c>length(json)</c>, which SQLite answers
/// from the record header without reading the row, and only the rows that fit are read whole.
/// </remarks>
internal static class SqliteReads
{
    private const string RowColumns = "r.key, r.origin_optimistic_key, r.client_id, r.version, r.seq, r.json";
    /// <summary>
    /// The rows a filtered scope reads (<see cref="ReadScope.ReadKeys"/>), found through the <c>row_access</c> index: a
    /// page costs the caller's readable rows, never a scan of the resource.
    /// </summary>
    private const string Readable = " AND key IN (SELECT a.key FROM row_access a WHERE a.resource = $resource AND a.access_key IN (SELECT value FROM json_each($readKeys)))";
    private const string HeadSql = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0);";

    /// <summary>Reads one page ordered by key, and the change sequence the page is consistent with, in one snapshot.</summary>
    public static RowPage ListPage(SqliteConnection connection, ReadScope scope, string? after, PageBudget budget)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long head = Scalar(connection, transaction, HeadSql);
        using SqliteCommand command = Command(connection, transaction, $"""
            SELECT {RowColumns}, p.total FROM ({PageQuery.Budgeted("key", $"SELECT key, length(key) + length(json) AS size FROM rows WHERE resource = $resource AND deleted = 0{(after is null ? "" : " AND key > $after")}{Filter(scope)} ORDER BY key LIMIT $candidates")}) p
            JOIN rows r ON r.resource = $resource AND r.key = p.key
            WHERE p.before < $bytes AND p.n <= $rows ORDER BY p.key;
            """);
        command.Parameters.AddWithValue("$resource", scope.Resource);
        BindFilter(command, scope);
        if (after is not null)
        {
            command.Parameters.AddWithValue("$after", after);
        }

        return ReadRows(command, scope, budget, head);
    }

    /// <summary>Reads one page of a feed's snapshot (<see cref="ISyncStore.ReadSnapshotPageAsync"/>).</summary>
    public static RowPage SnapshotPage(SqliteConnection connection, ReadScope scope, long after, long? through, PageBudget budget)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long bound = through ?? Scalar(connection, transaction, HeadSql);
        using SqliteCommand command = Command(connection, transaction, $"""
            SELECT {RowColumns}, p.total FROM ({PageQuery.Budgeted("seq", $"SELECT key, seq, length(key) + length(json) AS size FROM rows WHERE resource = $resource AND seq > $after AND seq <= $through AND deleted = 0{Filter(scope)} ORDER BY seq LIMIT $candidates")}) p
            JOIN rows r ON r.resource = $resource AND r.key = p.key
            WHERE p.before < $bytes AND p.n <= $rows ORDER BY p.seq;
            """);
        command.Parameters.AddWithValue("$resource", scope.Resource);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$through", bound);
        BindFilter(command, scope);
        return ReadRows(command, scope, budget, bound);
    }

    /// <summary>Reads one live row.</summary>
    public static RowItem? GetRow(SqliteConnection connection, ReadScope scope, string key)
    {
        using SqliteCommand command = Command(connection, null, $"SELECT {RowColumns} FROM rows r WHERE r.resource = $resource AND r.key = $key AND r.deleted = 0{Filter(scope)};");
        command.Parameters.AddWithValue("$resource", scope.Resource);
        BindFilter(command, scope);
        command.Parameters.AddWithValue("$key", key);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadRow(reader, scope) : null;
    }

    /// <summary>Reads the changes of <paramref name="resource"/> after <paramref name="after"/> within <paramref name="budget"/>, with the log's bounds, in one snapshot.</summary>
    public static ChangePage ChangesAfter(SqliteConnection connection, string resource, long after, PageBudget budget)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long head = Scalar(connection, transaction, HeadSql);
        long prunedThrough = Scalar(connection, transaction, "SELECT COALESCE((SELECT through FROM prune_points WHERE resource = $resource), 0);", ("$resource", resource));

        // Each entry is its row's last change (ChangeLog): the row holds the data, the version and the creating client.
        using SqliteCommand command = Command(connection, transaction, $"""
            SELECT p.seq, p.key, p.kind, r.version, r.origin_optimistic_key, r.json, r.client_id, p.total, r.access
            FROM ({PageQuery.Budgeted("seq", "SELECT seq, key, kind, bytes AS size FROM changes WHERE resource = $resource AND seq > $after ORDER BY seq LIMIT $candidates")}) p
            JOIN rows r ON r.resource = $resource AND r.key = p.key
            WHERE p.before < $bytes AND p.n <= $rows ORDER BY p.seq;
            """);
        command.Parameters.AddWithValue("$resource", resource);
        command.Parameters.AddWithValue("$after", after);
        AddBudget(command, budget);
        var changes = new List<StoredChange>();
        long candidates = 0;
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                changes.Add(new StoredChange(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    (StoredChangeKind)reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5),
                    RowAccess.FromJson(reader.IsDBNull(8) ? null : reader.GetString(8))));
                candidates = reader.GetInt64(7);
            }
        }

        return new ChangePage(changes, head, prunedThrough, candidates > changes.Count);
    }

    private static string Filter(ReadScope scope) => scope.IsFiltered ? Readable : "";

    private static void BindFilter(SqliteCommand command, ReadScope scope)
    {
        if (scope.ReadKeys is { } keys)
        {
            command.Parameters.AddWithValue("$readKeys", System.Text.Json.JsonSerializer.Serialize(keys.ToArray(), AccessJsonContext.Default.StringArray));
        }
    }

    public static long Head(SqliteConnection connection) => Scalar(connection, null, HeadSql);

    private static RowPage ReadRows(SqliteCommand command, ReadScope scope, PageBudget budget, long sequence)
    {
        AddBudget(command, budget);
        var items = new List<RowItem>(Math.Min(budget.MaxRows, 256));
        long candidates = 0;
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(ReadRow(reader, scope));
                candidates = reader.GetInt64(6);
            }
        }

        return new RowPage(items, sequence, candidates > items.Count);
    }

    private static void AddBudget(SqliteCommand command, PageBudget budget)
    {
        command.Parameters.AddWithValue("$candidates", budget.MaxRows + 1);
        command.Parameters.AddWithValue("$rows", budget.MaxRows);
        command.Parameters.AddWithValue("$bytes", budget.MaxBytes);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static RowItem ReadRow(SqliteDataReader reader, ReadScope scope) => new(
        reader.GetString(0),
        scope.OriginOf(reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(1) ? null : reader.GetString(1)),
        reader.GetInt64(3),
        reader.GetInt64(4),
        (byte[])reader.GetValue(5));
}
