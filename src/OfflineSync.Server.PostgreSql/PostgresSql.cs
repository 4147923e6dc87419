using OfflineSync.Server.Storage;

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
        string head = $"GREATEST(COALESCE((SELECT max(seq) FROM {s}.changes), 0), (SELECT value FROM {s}.meta WHERE name = '{MetaNames.PrunedThrough}'))";
        Head = $"SELECT {head};";

        GetRowForUpdate = $"SELECT json, version, seq, client_id, origin_optimistic_key, deleted, access::text FROM {s}.rows WHERE resource = $1 AND key = $2 FOR UPDATE;";
        PrefetchRows = $"""
            SELECT r.resource, r.key, r.json, r.version, r.seq, r.client_id, r.origin_optimistic_key, r.deleted, r.access::text
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

        // The transaction's changes in order, each drawing the next sequence (volatile target-list functions run after
        // ORDER BY): one per row, its last of the transaction, in place of the row's entry from before (ChangeLog). New
        // rows and updated rows take the sequence of their change; the log's size follows.
        AppendChanges = $"""
            WITH input AS MATERIALIZED (
                SELECT nextval('{s}.changes_seq') AS seq, t.ord, t.resource, t.key, t.kind, t.bytes
                FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[]) WITH ORDINALITY AS t(resource, key, kind, bytes, ord)
                ORDER BY t.ord),
            replaced AS (
                DELETE FROM {s}.changes c WHERE c.seq = ANY($20::bigint[]) RETURNING c.bytes),
            appended AS (
                INSERT INTO {s}.changes (seq, resource, key, kind, bytes, created_at)
                SELECT seq, resource, key, kind, bytes, $5 FROM input),
            inserted AS (
                INSERT INTO {s}.rows (resource, key, json, version, seq, client_id, origin_optimistic_key, deleted, access)
                SELECT n.resource, n.key, n.json, n.version, i.seq, n.client, n.origin, n.deleted, n.access::jsonb
                FROM unnest($6::text[], $7::text[], $8::bytea[], $9::bigint[], $10::text[], $11::text[], $12::boolean[], $13::bigint[], $21::text[]) AS n(resource, key, json, version, client, origin, deleted, change, access)
                JOIN input i ON i.ord = n.change),
            updated AS (
                UPDATE {s}.rows AS w SET json = u.json, version = u.version, seq = i.seq, deleted = u.deleted, access = u.access::jsonb
                FROM unnest($14::text[], $15::text[], $16::bytea[], $17::bigint[], $18::boolean[], $19::bigint[], $22::text[]) AS u(resource, key, json, version, deleted, change, access)
                JOIN input i ON i.ord = u.change
                WHERE w.resource = u.resource AND w.key = u.key),
            sized AS (
                UPDATE {s}.meta SET value = value + CASE name
                    WHEN '{MetaNames.RetainedChanges}' THEN (SELECT count(*) FROM input) - (SELECT count(*) FROM replaced)
                    ELSE (SELECT COALESCE(sum(bytes), 0) FROM input) - (SELECT COALESCE(sum(bytes), 0) FROM replaced) END
                WHERE name IN ('{MetaNames.RetainedChanges}', '{MetaNames.RetainedBytes}'))
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

        // Retention: each rule gives the sequence through which it removes the oldest entries (none: NULL), and one
        // statement removes them, raises the prune point of each resource they were of, and counts the log down.
        string retained = $"(SELECT value FROM {s}.meta WHERE name = '{MetaNames.RetainedChanges}')";
        string weighed = $"(SELECT value FROM {s}.meta WHERE name = '{MetaNames.RetainedBytes}')";
        PruneByCount = Prune(s, $"SELECT max(seq) FROM (SELECT seq FROM {s}.changes ORDER BY seq LIMIT GREATEST({retained} - $1, 0)) oldest");
        PruneBySize = Prune(s, $"""
            SELECT w.seq FROM (SELECT seq, sum(bytes) OVER (ORDER BY seq) AS upto FROM {s}.changes) w
            WHERE {weighed} > $1 AND w.upto >= {weighed} - $1 ORDER BY w.seq LIMIT 1
            """);
        PruneByAge = Prune(s, $"SELECT max(seq) FROM {s}.changes WHERE created_at < $1");
        PruneIdempotency = $"DELETE FROM {s}.idempotency WHERE expires_at <= $1;";

        // Reads: one statement each, so the bounds and the rows come from one snapshot without a transaction. Pages are
        // cut by size (PageQuery) before the rows that fit are read. Each in two forms (FilteredSql): for every row, and
        // for the rows readable under the access keys of its last parameter (ReadScope).
        GetRow = Reads(filter => $"SELECT {RowColumns} FROM {s}.rows r WHERE r.resource = $1 AND r.key = $2 AND NOT r.deleted{filter(3)};");
        ListFirstPage = Reads(filter => RowPage(s, head, "key", $"SELECT r.key, octet_length(r.key) + octet_length(r.json) AS size FROM {s}.rows r WHERE r.resource = $1 AND NOT r.deleted{filter(5)} ORDER BY r.key LIMIT $2"));
        ListPageAfter = Reads(filter => RowPage(s, head, "key", $"SELECT r.key, octet_length(r.key) + octet_length(r.json) AS size FROM {s}.rows r WHERE r.resource = $1 AND NOT r.deleted AND r.key > $5{filter(6)} ORDER BY r.key LIMIT $2"));

        // A snapshot's first page takes the head of its own snapshot as the bound ($6 NULL), later pages the bound given.
        SnapshotPage = Reads(filter => RowPage(s, $"COALESCE($6::bigint, {head})", "seq", $"SELECT r.key, r.seq, octet_length(r.key) + octet_length(r.json) AS size FROM {s}.rows r WHERE r.resource = $1 AND NOT r.deleted AND r.seq > $5 AND r.seq <= b.head{filter(7)} ORDER BY r.seq LIMIT $2"));

        // Each entry is its row's last change (ChangeLog): the row holds the data, the version and the creating client.
        ChangesAfter = $"""
            SELECT b.head, b.pruned, p.total, p.seq, p.key, p.kind, r.version, r.origin_optimistic_key, r.json, r.client_id, r.access::text
            FROM (SELECT {head} AS head, COALESCE((SELECT through FROM {s}.prune_points WHERE resource = $1), 0) AS pruned) b
            LEFT JOIN LATERAL (
                SELECT w.* FROM ({PageQuery.Budgeted("seq", $"SELECT c.seq, c.key, c.kind, c.bytes AS size FROM {s}.changes c WHERE c.resource = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3")}) w
                WHERE w.before < $5 AND w.n <= $4) p ON true
            LEFT JOIN {s}.rows r ON r.resource = $1 AND r.key = p.key
            ORDER BY p.seq;
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

    public string PruneBySize { get; }

    public string PruneByAge { get; }

    public string PruneIdempotency { get; }

    public FilteredSql GetRow { get; }

    public FilteredSql ListFirstPage { get; }

    public FilteredSql ListPageAfter { get; }

    public FilteredSql SnapshotPage { get; }

    public string ChangesAfter { get; }

    /// <summary>Builds a read for every row and for the rows readable under the access keys in parameter <c>$n</c> (the GIN index <c>rows_by_reader</c> finds them).</summary>
    private static FilteredSql Reads(Func<Func<int, string>, string> sql) =>
        new(sql(static _ => ""), sql(static n => $" AND r.access -> 'readers' ?| ${n}::text[]"));

    /// <summary>Removes the entries through the sequence <paramref name="cut"/> selects, as <see cref="Storage.Retention"/> says.</summary>
    private static string Prune(string s, string cut) => $"""
        WITH cut AS (SELECT ({cut}) AS through),
        gone AS (DELETE FROM {s}.changes c WHERE c.seq <= (SELECT through FROM cut) RETURNING c.resource, c.seq, c.bytes),
        points AS (
            INSERT INTO {s}.prune_points AS p (resource, through) SELECT resource, max(seq) FROM gone GROUP BY resource
            ON CONFLICT (resource) DO UPDATE SET through = GREATEST(p.through, EXCLUDED.through)),
        sized AS (
            UPDATE {s}.meta SET value = value - CASE name WHEN '{MetaNames.RetainedChanges}' THEN (SELECT count(*) FROM gone) ELSE (SELECT COALESCE(sum(bytes), 0) FROM gone) END
            WHERE name IN ('{MetaNames.RetainedChanges}', '{MetaNames.RetainedBytes}'))
        UPDATE {s}.meta SET value = (SELECT through FROM cut) WHERE name = '{MetaNames.PrunedThrough}' AND value < (SELECT through FROM cut);
        """;

    /// <summary>
    /// A page of rows within a budget ($2 candidates, $3 rows, $4 bytes) and the sequence <paramref name="sequence"/> it
    /// goes with, from one snapshot; a page without rows still brings the sequence.
    /// </summary>
    private static string RowPage(string s, string sequence, string order, string candidates) => $"""
        SELECT b.head, p.total, {RowColumns} FROM (SELECT {sequence} AS head) b
        LEFT JOIN LATERAL (
            SELECT w.* FROM ({PageQuery.Budgeted(order, candidates)}) w
            WHERE w.before < $4 AND w.n <= $3) p ON true
        LEFT JOIN {s}.rows r ON r.resource = $1 AND r.key = p.key
        ORDER BY p.{order};
        """;
}

/// <summary>A read in its two forms: <see cref="All"/> rows, or the rows of a filtered <see cref="ReadScope"/>.</summary>
internal sealed record FilteredSql(string All, string Filtered)
{
    public string For(ReadScope scope) => scope.IsFiltered ? Filtered : All;
}
