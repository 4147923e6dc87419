using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Storage.Sqlite;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>Database files of earlier layouts keep working: idempotency records kept per client (layout 1), a change log of one entry per row (layout 2).</summary>
public sealed class SchemaMigrationTests
{
    /// <summary>The layout of the first server (schema 0), as its files hold it.</summary>
    private const string Layout0 = """
        CREATE TABLE rows (resource TEXT NOT NULL, key TEXT NOT NULL, json BLOB, version INTEGER NOT NULL, seq INTEGER NOT NULL,
            client_id TEXT, origin_optimistic_key TEXT, deleted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (resource, key)) WITHOUT ROWID;
        CREATE INDEX rows_by_seq ON rows (resource, seq);
        CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, resource TEXT NOT NULL, key TEXT NOT NULL, kind INTEGER NOT NULL,
            version INTEGER NOT NULL, origin_optimistic_key TEXT, json BLOB, created_at INTEGER NOT NULL);
        CREATE INDEX changes_by_resource ON changes (resource, seq);
        CREATE TABLE idempotency (key TEXT PRIMARY KEY, request_hash BLOB NOT NULL, status INTEGER NOT NULL, entity_key TEXT,
            optimistic_key TEXT, version INTEGER, body BLOB, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX idempotency_by_expiry ON idempotency (expires_at);
        CREATE TABLE key_sequences (resource TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    [Fact]
    public async Task Layout0File_Migrated_RetryOfAnAppliedCreateIsReplayedForItsClientOnly()
    {
        // A write applied before the upgrade whose answer was lost is retried after it: replayed, not applied twice.
        await using TestServer server = await TestServer.StartAsync();
        await server.Host.StopAsync();
        string optimistic = OptimisticKeys.NewString();
        byte[] body = Encoding.UTF8.GetBytes($"{{\"id\":\"{optimistic}\",\"name\":\"before\"}}");
        string idempotencyKey = $"folders:create:{optimistic}:a:1";
        WriteLayout0File(server.DatabasePath, optimistic, body, idempotencyKey, anonymousKey: "opaque-key");

        await server.RestartAsync();
        using HttpResponseMessage byM = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "m", Encoding.UTF8.GetString(body), idempotencyKey, optimistic);
        using HttpResponseMessage retryByA = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", Encoding.UTF8.GetString(body), idempotencyKey, optimistic);
        using HttpResponseMessage anonymousRetry = await Raw.SendAsync(server, HttpMethod.Delete, "sync/folders/gone", clientId: null, idempotencyKey: "opaque-key");

        Assert.Equal(HttpStatusCode.Created, retryByA.StatusCode);
        Assert.Equal("true", Assert.Single(retryByA.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal("01OLD", Assert.Single(retryByA.Headers.GetValues("X-Sync-Key")));
        Assert.False(byM.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(anonymousRetry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(2, Raw.Count(server, "rows WHERE resource = 'folders'"));
        JsonRowOrigin(await Raw.ListAsync(server, "folders", "a"), "01OLD", optimistic);
        Assert.Equal(SqliteSchema.Version, UserVersion(server.DatabasePath));
    }

    /// <summary>The layout of the server before the change log kept one entry per row (schema 1), as its files hold it.</summary>
    private const string Layout1 = """
        CREATE TABLE rows (resource TEXT NOT NULL, key TEXT NOT NULL, json BLOB, version INTEGER NOT NULL, seq INTEGER NOT NULL,
            client_id TEXT, origin_optimistic_key TEXT, deleted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (resource, key)) WITHOUT ROWID;
        CREATE INDEX rows_by_seq ON rows (resource, seq);
        CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, resource TEXT NOT NULL, key TEXT NOT NULL, kind INTEGER NOT NULL,
            version INTEGER NOT NULL, origin_optimistic_key TEXT, json BLOB, created_at INTEGER NOT NULL);
        CREATE INDEX changes_by_resource ON changes (resource, seq);
        CREATE TABLE idempotency (client_id TEXT NOT NULL, key TEXT NOT NULL, request_hash BLOB NOT NULL, status INTEGER NOT NULL, entity_key TEXT,
            optimistic_key TEXT, version INTEGER, body BLOB, expires_at INTEGER NOT NULL, PRIMARY KEY (client_id, key)) WITHOUT ROWID;
        CREATE INDEX idempotency_by_expiry ON idempotency (expires_at);
        CREATE TABLE key_sequences (resource TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        PRAGMA user_version = 1;
        """;

    [Fact] // S15: a log of every change with a copy of its row becomes one entry per row; a client resumes across the upgrade
    public async Task Layout1File_LogKeepsEachRowsLastChange_AResumingFeedGetsEveryRowChangedSince()
    {
        await using TestServer server = await TestServer.StartAsync();
        await server.Host.StopAsync();
        WriteLayout1File(server.DatabasePath);

        await server.RestartAsync();
        List<(string Type, System.Text.Json.JsonElement Data)> resumed = await Raw.FeedAsync(server, "folders", "a", 3, after: 1);
        Results.Single(await server.Transport.PushAsync([new Mutations("a").Create(new Folder { Id = "d", Name = "d" })], default));
        List<(string Type, System.Text.Json.JsonElement Data)> next = await Raw.FeedAsync(server, "folders", "a", 1, after: 6);

        Assert.Equal(SqliteSchema.Version, UserVersion(server.DatabasePath));
        Assert.Equal([("changed", "a", "3"), ("added", "b", "1"), ("removed", "c", "2")], resumed.Select(static e => (e.Type, e.Data.GetProperty("key").GetString(), e.Data.GetProperty("version").GetString())));
        Assert.Equal("a3", resumed[0].Data.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(4, server.Count("changes")); // a, b, c and the new d: one entry per row
        Assert.Equal(1, server.Count("prune_points WHERE resource = 'folders' AND through = 1"));
        Assert.Equal(("added", "d"), (Assert.Single(next).Type, next[0].Data.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task NewerLayout_RefusedAtStart()
    {
        await using TestServer server = await TestServer.StartAsync();
        await server.Host.StopAsync();
        using (var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteSchema.Version + 1};";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => server.RestartAsync());

        Assert.Contains("newer OfflineSync server", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("folders:create:optimistic_01ARZ3NDEKTSV4RRFFQ69G5FAV:c1:7", "c1")]
    [InlineData("folders:update:a:b:c:client-9:12", "client-9")] // a key with colons
    [InlineData("todos:update:01M8:c1:7:r2", "c1")] // a re-send after a conflict
    [InlineData("opaque", null)]
    [InlineData("folders:create:x:c1:seven", null)]
    [InlineData("folders:merge:x:c1:7", null)]
    public void LegacyKey_ClientItNames(string key, string? client) => Assert.Equal(client, SqliteSchemaMigrator.ClientNamedBy(key));

    private static void WriteLayout0File(string path, string optimistic, byte[] body, string idempotencyKey, string anonymousKey)
    {
        File.Delete(path);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, Layout0);
        byte[] row = Encoding.UTF8.GetBytes("{\"id\":\"01OLD\",\"name\":\"before\"}");
        Execute(connection, "INSERT INTO rows VALUES ('folders', '01OLD', $json, 1, 1, 'a', $origin, 0);", ("$json", row), ("$origin", optimistic));
        Execute(connection, "INSERT INTO changes (resource, key, kind, version, origin_optimistic_key, json, created_at) VALUES ('folders', '01OLD', 1, 1, $origin, $json, 0);", ("$json", row), ("$origin", optimistic));
        long expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        byte[] createHash = RequestFingerprint.OfRequest("folders", new MutationRequest(MutationKind.Create, null, optimistic, "a", idempotencyKey, null, body));
        Execute(connection, "INSERT INTO idempotency VALUES ($key, $hash, 201, '01OLD', $origin, 1, $json, $expires);",
            ("$key", idempotencyKey), ("$hash", createHash), ("$origin", optimistic), ("$json", row), ("$expires", expires));
        byte[] deleteHash = RequestFingerprint.OfRequest("folders", new MutationRequest(MutationKind.Delete, "gone", null, null, anonymousKey, null, ReadOnlyMemory<byte>.Empty));
        Execute(connection, "INSERT INTO idempotency VALUES ($key, $hash, 204, 'gone', NULL, NULL, NULL, $expires);", ("$key", anonymousKey), ("$hash", deleteHash), ("$expires", expires));
    }

    /// <summary>
    /// Folders of layout 1: <c>a</c> created (1, pruned since), renamed twice (2, 3); <c>b</c> created (4); <c>c</c>
    /// created (5) and deleted (6). Each change holds a copy of its row.
    /// </summary>
    private static void WriteLayout1File(string path)
    {
        File.Delete(path);
        File.Delete(path + "-wal");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, Layout1);
        byte[] Row(string key, string name) => Encoding.UTF8.GetBytes($"{{\"id\":\"{key}\",\"name\":\"{name}\"}}");
        Execute(connection, "INSERT INTO rows VALUES ('folders', 'a', $json, 3, 3, 'a', NULL, 0);", ("$json", Row("a", "a3")));
        Execute(connection, "INSERT INTO rows VALUES ('folders', 'b', $json, 1, 4, 'a', NULL, 0);", ("$json", Row("b", "b")));
        Execute(connection, "INSERT INTO rows VALUES ('folders', 'c', NULL, 2, 6, 'a', NULL, 1);");
        (long Seq, string Key, int Kind, long Version, byte[]? Json)[] changes =
        [
            (1, "a", 1, 1, Row("a", "a1")), (2, "a", 2, 2, Row("a", "a2")), (3, "a", 2, 3, Row("a", "a3")),
            (4, "b", 1, 1, Row("b", "b")), (5, "c", 1, 1, Row("c", "c")), (6, "c", 3, 2, null),
        ];
        foreach ((long seq, string key, int kind, long version, byte[]? json) in changes)
        {
            Execute(connection, "INSERT INTO changes (seq, resource, key, kind, version, json, created_at) VALUES ($seq, 'folders', $key, $kind, $version, $json, $now);",
                ("$seq", seq), ("$key", key), ("$kind", kind), ("$version", version), ("$json", (object?)json ?? DBNull.Value), ("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        Execute(connection, "DELETE FROM changes WHERE seq = 1; INSERT INTO meta VALUES ('pruned_through', 1);");
    }

    private static void JsonRowOrigin(List<System.Text.Json.JsonElement> items, string key, string origin) =>
        Assert.Equal(origin, Raw.OptionalString(Assert.Single(items, i => i.GetProperty("key").GetString() == key), "originOptimisticKey"));

    private static long UserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
