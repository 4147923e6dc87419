namespace OfflineSync.Server.PostgreSql;

/// <summary>The store's statements for one schema, built once. All values travel as parameters.</summary>
internal sealed class PostgresSql
{
    private const string RowColumns = "r.key, r.origin_optimistic_key, r.client_id, r.version, r.seq, r.json";

    public PostgresSql(string schema)
    {
        string s = schema;
        Channel = s + "_changes";
        AdvisoryLocks locks = AdvisoryLocks.For(schema);
        string head = $"GREATEST(COALESCE((SELECT max(seq) FROM {s}.changes), 0), (SELECT value FROM {s}.meta WHERE name = 'pruned_through'))";
        Head = $"SELECT {head};";

        GetRowForUpdate = $"SELECT json, version, seq, client_id, origin_optimistic_key, deleted FROM {s}.rows WHERE resource = $1 AND key = $2 FOR UPDATE;";
        PrefetchRows = $"""
            SELECT r.resource, r.key, r.json, r.version, r.seq, r.client_id, r.origin_optimistic_key, r.deleted
            FROM {s}.rows r JOIN unnest($1::text[], $2::text[]) AS w(resource, key) ON r.resource = w.resource AND r.key = w.key
            ORDER BY r.resource, r.key FOR UPDATE OF r;
            """;
        PrefetchIdempotency = $"""
            SELECT d.client_id, d.key, d.request_hash, d.status, d.entity_key, d.optimistic_key, d.version, d.body, d.expires_at
            FROM {s}.idempotency d JOIN unnest($1::text[], $2::text[]) AS w(client_id, key) ON d.client_id = w.client_id AND d.key = w.key;
            """;
        GetIdempotency = $"SELECT request_hash, status, entity_key, optimistic_key, version, body, expires_at FROM {s}.idempotency WHERE client_id = $1 AND key = $2;";
        NextKey = $"INSERT INTO {s}.key_sequences AS k (resource, last) VALUES ($1, 1) ON CONFLICT (resource) DO UPDATE SET last = k.last + 1 RETURNING last;";
        RaiseKey = $"INSERT INTO {s}.key_sequences AS k (resource, last) VALUES ($1, $2) ON CONFLICT (resource) DO UPDATE SET last = GREATEST(k.last, EXCLUDED.last);";

        // Taken before anything is appended and held to the commit: transactions append to the change log one
        // at a time, so sequences commit in the order they were drawn and a reader never sees n + 1 before n.
        LockChangeLog = $"SELECT pg_advisory_xact_lock({locks.ChangeLog}, {locks.Schema});";

        // The transaction's changes in order, each drawing the next sequence (volatile target-list functions run
        // after ORDER BY); new rows and updated rows take the sequence of their last change of the transaction.
        AppendChanges = $"""
            WITH input AS MATERIALIZED (
                SELECT nextval('{s}.changes_seq') AS seq, t.ord, t.resource, t.key, t.kind, t.version, t.origin, t.json
                FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[], $5::text[], $6::bytea[]) WITH ORDINALITY AS t(resource, key, kind, version, origin, json, ord)
                ORDER BY t.ord),
            appended AS (
                INSERT INTO {s}.changes (seq, resource, key, kind, version, origin_optimistic_key, json, created_at)
                SELECT seq, resource, key, kind, version, origin, json, $7 FROM input),
            inserted AS (
                INSERT INTO {s}.rows (resource, key, json, version, seq, client_id, origin_optimistic_key, deleted)
                SELECT n.resource, n.key, n.json, n.version, i.seq, n.client, n.origin, n.deleted
                FROM unnest($8::text[], $9::text[], $10::bytea[], $11::bigint[], $12::text[], $13::text[], $14::boolean[], $15::bigint[]) AS n(resource, key, json, version, client, origin, deleted, change)
                JOIN input i ON i.ord = n.change),
            updated AS (
                UPDATE {s}.rows AS w SET json = u.json, version = u.version, seq = i.seq, deleted = u.deleted
                FROM unnest($16::text[], $17::text[], $18::bytea[], $19::bigint[], $20::boolean[], $21::bigint[]) AS u(resource, key, json, version, deleted, change)
                JOIN input i ON i.ord = u.change
                WHERE w.resource = u.resource AND w.key = u.key)
            SELECT max(seq) FROM input;
            """;

        // A record may replace only an expired one: a live record of the same (client, key) means a concurrent
        // request with that key committed first, and the transaction is run again to replay it.
        PutIdempotency = $"""
            INSERT INTO {s}.idempotency AS d (client_id, key, request_hash, status, entity_key, optimistic_key, version, body, expires_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::integer[], $5::text[], $6::text[], $7::bigint[], $8::bytea[], $9::bigint[])
            ON CONFLICT (client_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, entity_key = EXCLUDED.entity_key,
                optimistic_key = EXCLUDED.optimistic_key, version = EXCLUDED.version, body = EXCLUDED.body, expires_at = EXCLUDED.expires_at
            WHERE d.expires_at <= $10;
            """;

        Notify = $"SELECT pg_notify('{Channel}', (SELECT max(seq) FROM {s}.changes)::text);";

        PruneByCount = $"""
            WITH cut AS (SELECT (SELECT max(seq) FROM {s}.changes) - $1 AS through),
            gone AS (DELETE FROM {s}.changes WHERE seq <= (SELECT through FROM cut))
            UPDATE {s}.meta SET value = (SELECT through FROM cut) WHERE name = 'pruned_through' AND value < (SELECT through FROM cut);
            """;
        PruneByAge = $"""
            WITH cut AS (SELECT max(seq) AS through FROM {s}.changes WHERE created_at < $1),
            gone AS (DELETE FROM {s}.changes WHERE seq <= (SELECT through FROM cut))
            UPDATE {s}.meta SET value = (SELECT through FROM cut) WHERE name = 'pruned_through' AND value < (SELECT through FROM cut);
            """;
        PruneIdempotency = $"DELETE FROM {s}.idempotency WHERE expires_at <= $1;";

        // Reads: one statement each, so the bounds and the rows come from one snapshot without a transaction.
        GetRow = $"SELECT {RowColumns} FROM {s}.rows r WHERE r.resource = $1 AND r.key = $2 AND NOT r.deleted;";
        ListFirstPage = $"""
            SELECT b.head, {RowColumns} FROM (SELECT {head} AS head) b
            LEFT JOIN LATERAL (SELECT * FROM {s}.rows r WHERE r.resource = $1 AND NOT r.deleted ORDER BY r.key LIMIT $2) r ON true
            ORDER BY r.key;
            """;
        ListPageAfter = $"""
            SELECT b.head, {RowColumns} FROM (SELECT {head} AS head) b
            LEFT JOIN LATERAL (SELECT * FROM {s}.rows r WHERE r.resource = $1 AND NOT r.deleted AND r.key > $3 ORDER BY r.key LIMIT $2) r ON true
            ORDER BY r.key;
            """;
        Snapshot = $"""
            SELECT b.head, {RowColumns} FROM (SELECT {head} AS head) b
            LEFT JOIN LATERAL (SELECT * FROM {s}.rows r WHERE r.resource = $1 AND NOT r.deleted ORDER BY r.seq) r ON true
            ORDER BY r.seq;
            """;

        // A row's creating client never changes, so the change log does not repeat it: the row's primary key finds it.
        ChangesAfter = $"""
            SELECT b.head, b.pruned, c.seq, c.key, c.kind, c.version, c.origin_optimistic_key, c.json, c.client_id
            FROM (SELECT {head} AS head, (SELECT value FROM {s}.meta WHERE name = 'pruned_through') AS pruned) b
            LEFT JOIN LATERAL (
                SELECT c.seq, c.key, c.kind, c.version, c.origin_optimistic_key, c.json, r.client_id
                FROM {s}.changes c LEFT JOIN {s}.rows r ON r.resource = c.resource AND r.key = c.key
                WHERE c.resource = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3) c ON true
            ORDER BY c.seq;
            """;
    }

    /// <summary>Gets the notification channel of the schema's commits; the payload is the new head.</summary>
    public string Channel { get; }

    public string Head { get; }

    public string GetRowForUpdate { get; }

    public string PrefetchRows { get; }

    public string PrefetchIdempotency { get; }

    public string GetIdempotency { get; }

    public string NextKey { get; }

    public string RaiseKey { get; }

    public string LockChangeLog { get; }

    public string AppendChanges { get; }

    public string PutIdempotency { get; }

    public string Notify { get; }

    public string PruneByCount { get; }

    public string PruneByAge { get; }

    public string PruneIdempotency { get; }

    public string GetRow { get; }

    public string ListFirstPage { get; }

    public string ListPageAfter { get; }

    public string Snapshot { get; }

    public string ChangesAfter { get; }
}
