using OfflineSync.Sqlite;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// The schema version table and forward migrations (issue 4: "schema version table with forward
/// migrations"; "a newer schema than the code knows is refused, never overwritten").
/// </summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private const string VersionRows = "SELECT group_concat(version || ':' || description || '@' || applied_at, '|') FROM (SELECT * FROM schema_version ORDER BY version)";

    private static readonly SchemaMigration Notes = new(2, "test: notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL); INSERT INTO notes (text) VALUES ('from v2')");
    private static readonly SchemaMigration Tags = new(3, "test: tags", "ALTER TABLE notes ADD COLUMN tag TEXT");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_NewFile_RecordsEveryVersionMarksTheFileAndUsesWal()
    {
        string path = _folder.File();

        using (SqliteMutationStore.Open(path))
        {
            // Asked from another connection: WAL is a property of the file, not of the store's connection.
            Assert.Equal("wal", StoreFiles.Scalar(path, "PRAGMA journal_mode"));
        }

        Assert.Equal(
            SchemaMigrations.All.Select(static m => $"{m.Version}:{m.Description}"),
            ((string)StoreFiles.Scalar(path, VersionRows)!).Split('|').Select(static row => row[..row.IndexOf('@', StringComparison.Ordinal)]));
        Assert.Equal((long)SchemaMigrations.ApplicationId, StoreFiles.Scalar(path, "PRAGMA application_id"));
    }

    [Fact]
    public void Open_StoreAtTheLatestVersion_ChangesNoSchemaAndKeepsEverything()
    {
        string path = _folder.File();
        string clientId;
        using (SqliteMutationStore store = SqliteMutationStore.Open(path))
        {
            store.Append(Mutations.Create(1));
            clientId = store.Load().ClientId;
        }

        string versions = (string)StoreFiles.Scalar(path, VersionRows)!;
        string schema = (string)StoreFiles.Scalar(path, "SELECT group_concat(sql, ';') FROM sqlite_schema")!;

        using (SqliteMutationStore reopened = SqliteMutationStore.Open(path))
        {
            StoreState state = reopened.Load();
            Assert.Equal(clientId, state.ClientId);
            Mutations.AssertSame([Mutations.Create(1)], state.Pending);
        }

        Assert.Equal(versions, StoreFiles.Scalar(path, VersionRows)); // Same rows, same applied_at.
        Assert.Equal(schema, StoreFiles.Scalar(path, "SELECT group_concat(sql, ';') FROM sqlite_schema"));
    }

    [Fact]
    public void Open_OlderSchema_MigratesForwardInOrderAndKeepsTheQueue()
    {
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0]]))
        {
            store.Append(Mutations.Create(1));
            store.AddMapping(new IdMapping("todos", "optimistic_a", "srv-a"));
        }

        using (SqliteMutationStore migrated = SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0], Notes, Tags]))
        {
            StoreState state = migrated.Load();
            Mutations.AssertSame([Mutations.Create(1)], state.Pending);
            Assert.Equal([new IdMapping("todos", "optimistic_a", "srv-a")], state.Mappings);
            migrated.Append(Mutations.Create(2));
        }

        Assert.Equal(3L, StoreFiles.Scalar(path, "SELECT max(version) FROM schema_version"));
        Assert.Equal("1,2,3", StoreFiles.Scalar(path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version)"));
        Assert.Equal("from v2", StoreFiles.Scalar(path, "SELECT text FROM notes WHERE tag IS NULL")); // v3 ran after v2.
        Assert.Equal(2L, StoreFiles.Scalar(path, "SELECT count(*) FROM mutations"));
    }

    [Fact]
    public void Open_Version1Store_GainsFeedCheckpoints_AndKeepsItsQueueAndMappings()
    {
        // S15: a store written before feed checkpoints opens with none (its sets list once) and keeps the rest.
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0]]))
        {
            store.Append(Mutations.Create(1));
            store.AddMapping(new IdMapping("todos", "optimistic_a", "srv-a"));
        }

        using SqliteMutationStore migrated = SqliteMutationStore.Open(path);
        StoreState state = migrated.Load();
        Mutations.AssertSame([Mutations.Create(1)], state.Pending);
        Assert.Equal([new IdMapping("todos", "optimistic_a", "srv-a")], state.Mappings);
        Assert.Null(migrated.LoadFeedCheckpoint("todos"));
        migrated.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = "c", Reset = true, Rows = [new ListItem("srv-a", null, "1", "{}"u8.ToArray())], Sequence = 3 });
        Assert.Equal(3, migrated.LoadFeedCheckpoint("todos")!.Sequence);
        Assert.Equal(2L, StoreFiles.Scalar(migrated.Path, "SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public void Open_MigrationFails_LeavesTheFileAtItsVersionAndUsable()
    {
        // The migrations run in one transaction: a failure midway leaves the file as it was.
        string path = _folder.File();
        using (SqliteMutationStore version1 = SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0]]))
        {
            version1.Append(Mutations.Create(1));
            version1.Append(Mutations.Create(2));
        }

        var broken = new SchemaMigration(3, "test: broken", "CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1)");

        SyncStoreException refused = Assert.Throws<SyncStoreException>(() => SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0], Notes, broken]));

        Assert.Contains("no such table: no_such_table", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, StoreFiles.Scalar(path, "SELECT max(version) FROM schema_version"));
        Assert.Equal(0L, StoreFiles.Scalar(path, "SELECT count(*) FROM sqlite_schema WHERE name IN ('notes', 'half')"));
        using SqliteMutationStore store = SqliteMutationStore.Open(path);
        Assert.Equal(2, store.Load().Pending.Count);
    }

    [Fact]
    public void Open_NewerSchemaThanTheCodeKnows_RefusesAndNeverOverwrites()
    {
        string path = _folder.File();
        StoreFiles.CreateStore(path, mutations: 3);
        int known = SchemaMigrations.All[^1].Version;
        StoreFiles.Execute(path, $"INSERT INTO schema_version (version, description, applied_at) VALUES ({known + 1}, 'from the future', '2030-01-01'); CREATE TABLE future (id INTEGER)");
        byte[] before = File.ReadAllBytes(path);

        SyncStoreException refused = Assert.Throws<SyncStoreException>(() => SqliteMutationStore.Open(path));

        Assert.Contains(
            $"'{path}' is an OfflineSync store of schema version {known + 1}, written by a newer OfflineSync; this version knows schema versions up to {known}.",
            refused.Message,
            StringComparison.Ordinal);
        Assert.Contains("Nothing was changed. Open it with the newer OfflineSync", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal((long)known + 1, StoreFiles.Scalar(path, "SELECT max(version) FROM schema_version"));
        Assert.Equal(3L, StoreFiles.Scalar(path, "SELECT count(*) FROM mutations"));
    }

    [Fact]
    public void Open_MigratedFileWithOlderCode_Refuses()
    {
        // A user who downgrades the app keeps the newer file intact for when they upgrade again.
        string path = _folder.File();
        using (SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0], Notes]))
        {
        }

        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<SyncStoreException>(() => SqliteMutationStore.Open(path, null, [SchemaMigrations.All[0]]));

        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
