namespace OfflineSync.Server.Storage;

/// <summary>
/// The generic SQLite layout: one table of rows for every resource, the change log, the idempotency
/// store, key sequences and a little metadata. Documented in docs/protocol.md ("Server storage").
/// </summary>
internal static class SyncSchema
{
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
            PRIMARY KEY (resource, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rows_by_seq ON rows (resource, seq);
        CREATE TABLE IF NOT EXISTS changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            resource TEXT NOT NULL,
            key TEXT NOT NULL,
            kind INTEGER NOT NULL,
            version INTEGER NOT NULL,
            origin_optimistic_key TEXT,
            json BLOB,
            created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS changes_by_resource ON changes (resource, seq);
        CREATE TABLE IF NOT EXISTS idempotency (
            key TEXT PRIMARY KEY,
            request_hash BLOB NOT NULL,
            status INTEGER NOT NULL,
            entity_key TEXT,
            optimistic_key TEXT,
            version INTEGER,
            body BLOB,
            expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idempotency_by_expiry ON idempotency (expires_at);
        CREATE TABLE IF NOT EXISTS key_sequences (
            resource TEXT PRIMARY KEY,
            last INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    /// <summary>The meta row holding the highest change sequence removed by retention.</summary>
    public const string PrunedThrough = "pruned_through";
}

/// <summary>The kinds of change-log entries, as stored in <c>changes.kind</c>.</summary>
internal enum StoredChangeKind
{
    Added = 1,
    Changed = 2,
    Removed = 3,
}
