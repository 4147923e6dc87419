namespace OfflineSync.Sqlite;

/// <summary>
/// The store's schema history. A new version appends a migration here and never edits a shipped
/// one: files written by an older version are migrated forward when opened; files written by a
/// newer version are refused (<see cref="StoreFileInspector"/>).
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>
    /// The SQLite <c>application_id</c> header field of every store ("OSYN"): the marker that tells
    /// our files from other SQLite databases without reading a table.
    /// </summary>
    public const int ApplicationId = 0x4F53594E;

    /// <summary>Created before any migration so the applied versions can be read.</summary>
    public const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)";

    private const string V1 = """
        CREATE TABLE client_meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            client_id TEXT NOT NULL,
            last_sequence INTEGER NOT NULL);
        INSERT INTO client_meta (id, client_id, last_sequence) VALUES (1, lower(hex(randomblob(16))), 0);
        CREATE TABLE mutations (
            seq INTEGER PRIMARY KEY,
            resource TEXT NOT NULL,
            kind INTEGER NOT NULL,
            entity_key TEXT NOT NULL,
            payload BLOB NOT NULL,
            idempotency_key TEXT NOT NULL,
            app_idempotency_key TEXT,
            base_version TEXT,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            failure_reason INTEGER,
            resends INTEGER NOT NULL,
            enqueued_at INTEGER NOT NULL);
        CREATE TABLE id_map (
            resource TEXT NOT NULL,
            optimistic_key TEXT NOT NULL,
            server_key TEXT NOT NULL,
            PRIMARY KEY (resource, optimistic_key)) WITHOUT ROWID;
        CREATE TABLE optimistic_counters (
            resource TEXT PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    // The server rows each set last held and the feed position they are consistent with (S15): a cache, written
    // off the enqueue path. A resource without a feed_position row has no usable copy (a list was being written).
    private const string V2 = """
        CREATE TABLE feed_position (
            resource TEXT PRIMARY KEY,
            sequence INTEGER NOT NULL,
            contract TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE feed_rows (
            resource TEXT NOT NULL,
            row_key TEXT NOT NULL,
            version TEXT,
            origin_key TEXT,
            origin_client_id TEXT,
            data BLOB NOT NULL,
            PRIMARY KEY (resource, row_key));
        """;

    /// <summary>Every migration, oldest first.</summary>
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "mutation queue, ID map, client meta, optimistic-key counters", V1),
        new(2, "feed checkpoints: server rows and feed position per resource", V2),
    ];
}
