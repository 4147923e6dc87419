namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// The PostgreSQL layout: the same tables as the SQLite file (docs/protocol.md, "Server storage") in one
/// schema, plus the change log's sequence. <c>schema_version</c> holds the layout version;
/// <see cref="PostgresSchemaMigrator"/> applies the steps a database is missing, under an advisory lock.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The migration steps, in order; step <c>n</c> brings a database from layout <c>n</c> to <c>n + 1</c>. Never edit a shipped step: add one.</summary>
    public static readonly string[] Steps =
    [
        // Layout 1: keys compare byte by byte (COLLATE "C"), as lists are ordered on every store.
        """
        CREATE TABLE {0}.rows (
            resource text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            json bytea,
            version bigint NOT NULL,
            seq bigint NOT NULL,
            client_id text COLLATE "C",
            origin_optimistic_key text COLLATE "C",
            deleted boolean NOT NULL DEFAULT false,
            PRIMARY KEY (resource, key));
        CREATE INDEX rows_by_seq ON {0}.rows (resource, seq);
        CREATE SEQUENCE {0}.changes_seq AS bigint;
        CREATE TABLE {0}.changes (
            seq bigint PRIMARY KEY,
            resource text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            kind smallint NOT NULL,
            version bigint NOT NULL,
            origin_optimistic_key text COLLATE "C",
            json bytea,
            created_at bigint NOT NULL);
        CREATE INDEX changes_by_resource ON {0}.changes (resource, seq);
        CREATE INDEX changes_by_time ON {0}.changes (created_at);
        CREATE TABLE {0}.idempotency (
            client_id text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            request_hash bytea NOT NULL,
            status integer NOT NULL,
            entity_key text COLLATE "C",
            optimistic_key text COLLATE "C",
            version bigint,
            body bytea,
            expires_at bigint NOT NULL,
            PRIMARY KEY (client_id, key));
        CREATE INDEX idempotency_by_expiry ON {0}.idempotency (expires_at);
        CREATE TABLE {0}.key_sequences (
            resource text COLLATE "C" PRIMARY KEY,
            last bigint NOT NULL);
        CREATE TABLE {0}.meta (
            name text COLLATE "C" PRIMARY KEY,
            value bigint NOT NULL);
        INSERT INTO {0}.meta (name, value) VALUES ('pruned_through', 0);
        """,

        // Layout 2: the change log keeps one entry per row (its last change, weighed in bytes) and no copy of the row, which
        // the row holds; retention's bound per resource; the log's size for retention by count and by size.
        """
        DELETE FROM {0}.changes c WHERE NOT EXISTS (SELECT 1 FROM {0}.rows r WHERE r.resource = c.resource AND r.key = c.key AND r.seq = c.seq);
        ALTER TABLE {0}.changes ADD COLUMN bytes bigint NOT NULL DEFAULT 0;
        UPDATE {0}.changes c SET bytes = length(c.key) + COALESCE(octet_length(r.json), 0) FROM {0}.rows r WHERE r.resource = c.resource AND r.key = c.key;
        ALTER TABLE {0}.changes ALTER COLUMN bytes DROP DEFAULT, DROP COLUMN json, DROP COLUMN origin_optimistic_key, DROP COLUMN version;
        CREATE TABLE {0}.prune_points (
            resource text COLLATE "C" PRIMARY KEY,
            through bigint NOT NULL);
        INSERT INTO {0}.prune_points (resource, through)
            SELECT DISTINCT r.resource, m.value FROM {0}.rows r JOIN {0}.meta m ON m.name = 'pruned_through' AND m.value > 0;
        INSERT INTO {0}.meta (name, value) SELECT 'retained_changes', count(*) FROM {0}.changes;
        INSERT INTO {0}.meta (name, value) SELECT 'retained_bytes', COALESCE(sum(bytes), 0) FROM {0}.changes;
        """,

        // Layout 3: row policies. Each row's access (RowAccess), its readers indexed for the filtered reads. Rows
        // written before have none: readable by everyone on a resource without a policy, by no one under one.
        """
        ALTER TABLE {0}.rows ADD COLUMN access jsonb;
        CREATE INDEX rows_by_reader ON {0}.rows USING gin ((access -> 'readers'));
        """,
    ];

    /// <summary>Gets the layout this server writes.</summary>
    public static int Version => Steps.Length;
}
