using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite;

/// <summary>
/// Reads the queue, the ID map and the feed checkpoints in one pass each; runs once per engine start. The queue and
/// the map — up to hundreds of thousands of rows — are read through <see cref="RawQuery"/>, without a data reader's
/// per-value checks.
/// </summary>
internal static class StoreReader
{
    public static (string ClientId, long LastSequence) ReadMeta(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT client_id, last_sequence FROM client_meta WHERE id = 1";
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new SyncStoreException("The store has no client_meta row: it is damaged. Restore it from a backup, or move it away and let OfflineSync create a new store.");
        }

        return (reader.GetString(0), reader.GetInt64(1));
    }

    public static List<StoredMutation> ReadMutations(SqliteConnection connection)
    {
        // No count(*) first: it would walk every page of the table once more just to size the list.
        var pending = new List<StoredMutation>();

        // Resource names repeat on every row: keep one string per name, not one per row.
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        using var rows = new RawQuery(
            connection,
            "SELECT seq, resource, kind, entity_key, payload, idempotency_key, app_idempotency_key, base_version, " +
            "status, attempts, last_error, failure_reason, resends, enqueued_at FROM mutations ORDER BY seq");
        while (rows.Read())
        {
            ReadOnlySpan<byte> payload = rows.Blob(4);
            pending.Add(new StoredMutation
            {
                Sequence = rows.Int64(0),
                Resource = Dedupe(resources, rows.Text(1)!),
                Kind = ColumnCodes.ToKind(rows.Int64(2)),
                Key = rows.Text(3)!,
                Payload = payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray(),
                IdempotencyKey = rows.Text(5)!,
                AppIdempotencyKey = rows.Text(6),
                BaseVersion = rows.Text(7),
                Status = ColumnCodes.ToStatus(rows.Int64(8)),
                Attempts = checked((int)rows.Int64(9)),
                LastError = rows.Text(10),
                FailureReason = rows.IsNull(11) ? null : ColumnCodes.ToReason(rows.Int64(11)),
                Resends = checked((int)rows.Int64(12)),
                EnqueuedAt = new DateTimeOffset(rows.Int64(13), TimeSpan.Zero),
            });
        }

        return pending;
    }

    public static List<IdMapping> ReadMappings(SqliteConnection connection)
    {
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        var mappings = new List<IdMapping>();
        using var rows = new RawQuery(connection, "SELECT resource, optimistic_key, server_key FROM id_map");
        while (rows.Read())
        {
            mappings.Add(new IdMapping(Dedupe(resources, rows.Text(0)!), rows.Text(1)!, rows.Text(2)!));
        }

        return mappings;
    }

    /// <summary>Reads a resource's checkpoint; <see langword="null"/> without a position (none written, or a list written only in part).</summary>
    public static FeedCheckpoint? ReadFeed(SqliteConnection connection, string resource)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, contract FROM feed_position WHERE resource = $resource";
        command.Parameters.AddWithValue("$resource", resource);
        long sequence;
        string contract;
        using (SqliteDataReader position = command.ExecuteReader())
        {
            if (!position.Read())
            {
                return null;
            }

            (sequence, contract) = (position.GetInt64(0), position.GetString(1));
        }

        var rows = new List<ListItem>();
        command.CommandText = "SELECT row_key, version, origin_key, origin_client_id, data FROM feed_rows WHERE resource = $resource";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new ListItem(
                reader.GetString(0),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetFieldValue<byte[]>(4))
            {
                OriginClientId = reader.IsDBNull(3) ? null : reader.GetString(3),
            });
        }

        return new FeedCheckpoint(sequence, contract, rows);
    }

    private static string Dedupe(Dictionary<string, string> names, string name)
    {
        if (names.TryGetValue(name, out string? known))
        {
            return known;
        }

        names.Add(name, name);
        return name;
    }
}
