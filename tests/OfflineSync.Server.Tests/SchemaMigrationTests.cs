using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Storage.Sqlite;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>A database file written before idempotency records were kept per client keeps working.</summary>
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
