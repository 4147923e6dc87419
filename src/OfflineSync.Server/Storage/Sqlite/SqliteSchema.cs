namespace OfflineSync.Server.Storage.Sqlite;

/// <summary>
/// The generic SQLite layout: one table of rows for every resource, the change log, the idempotency
/// store, key sequences and a little metadata. Documented in docs/protocol.md ("Server storage").
/// The file's <c>PRAGMA user_version</c> is its layout version; <see cref="SqliteSchemaMigrator"/> brings older
/// files forward when the server opens them.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>
    /// The layout this server writes. 0: the first layout (idempotency records keyed by key alone).
    /// 1: idempotency records keyed by (client id, key), fingerprints bound to the client.
    /// 2: the change log keeps one entry per row (its last change, weighed in <c>bytes</c>) and no copy of the row;
    /// retention's bound per resource in <c>prune_points</c>, the log's size in <c>meta</c>.
    /// 3: row policies: each row's access (<c>rows.access</c>, JSON) and its readers indexed in <c>row_access</c>.
    /// </summary>
    public const int Version = 3;

    /// <summary>Creates whatever is missing of the current layout; safe on a file already at <see cref="Version"/>.</summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS rows (
            resource TEXT NOT NULL,
            key TEXT NOT NULL,
            json BLOB,
            version INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            client_id TEXT,
            origin_optimistic_key TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            access TEXT,
            PRIMARY KEY (resource, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rows_by_seq ON rows (resource, seq);
        CREATE TABLE IF NOT EXISTS changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            resource TEXT NOT NULL,
            key TEXT NOT NULL,
            kind INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS changes_by_resource ON changes (resource, seq);
        CREATE TABLE IF NOT EXISTS prune_points (
            resource TEXT PRIMARY KEY,
            through INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS idempotency (
            client_id TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash BLOB NOT NULL,
            status INTEGER NOT NULL,
            entity_key TEXT,
            optimistic_key TEXT,
            version INTEGER,
            body BLOB,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idempotency_by_expiry ON idempotency (expires_at);
        CREATE TABLE IF NOT EXISTS key_sequences (
            resource TEXT PRIMARY KEY,
            last INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS row_access (
            resource TEXT NOT NULL,
            access_key TEXT NOT NULL,
            key TEXT NOT NULL,
            PRIMARY KEY (resource, access_key, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID;
        """;
}
