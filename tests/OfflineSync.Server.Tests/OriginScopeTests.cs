using System.Net;
using System.Text.Json;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>
/// A row's origin optimistic key reaches only the client that created it (S3, S15): list items, feed events
/// and write answers carry it, with <c>originClientId</c>, to that client and to nobody else.
/// </summary>
public sealed class OriginScopeTests
{
    [Fact]
    public async Task List_OriginAndOriginClientId_OnlyForTheCreatingClient()
    {
        // S3: a client takes only rows that carry its own identity as confirmations.
        await using TestServer server = await TestServer.StartAsync();
        string optimistic = OptimisticKeys.NewString();
        string key = Results.Single(await server.Transport.PushAsync([new Mutations("a").Create(new Folder { Id = optimistic, Name = "x" })], default)).ServerKey;

        JsonElement mine = Assert.Single(await Raw.ListAsync(server, "folders", "a"));
        JsonElement theirs = Assert.Single(await Raw.ListAsync(server, "folders", "b"));
        JsonElement anonymous = Assert.Single(await Raw.ListAsync(server, "folders", clientId: null));

        Assert.Equal((key, optimistic, "a"), (mine.GetProperty("key").GetString(), Raw.OptionalString(mine, "originOptimisticKey"), Raw.OptionalString(mine, "originClientId")));
        Assert.All([theirs, anonymous], item =>
        {
            Assert.Equal(key, item.GetProperty("key").GetString());
            Assert.False(item.TryGetProperty("originOptimisticKey", out _));
            Assert.False(item.TryGetProperty("originClientId", out _));
        });
    }

    [Fact]
    public async Task Feed_EveryEventKind_CarriesTheOriginOnlyToTheCreatingClient()
    {
        // S15 scoped by client: existing, added, changed and removed.
        await using TestServer server = await TestServer.StartAsync();
        var a = new Mutations("a");
        (string first, string firstKey) = await CreateAsync(server, a);
        (string third, string thirdKey) = await CreateAsync(server, a);
        (string fourth, string fourthKey) = await CreateAsync(server, a);
        (string second, string secondKey) = await CreateAsync(server, a);
        Results.Single(await server.Transport.PushAsync([a.Update(thirdKey, new FolderPatch { Name = "3!" })], default));
        Results.Single(await server.Transport.PushAsync([a.Delete<Folder>(fourthKey)], default));

        List<(string Type, JsonElement Data)> snapshotA = await Raw.FeedAsync(server, "folders", "a", 1);
        List<(string Type, JsonElement Data)> snapshotB = await Raw.FeedAsync(server, "folders", "b", 1);
        List<(string Type, JsonElement Data)> resumedA = await Raw.FeedAsync(server, "folders", "a", 3, after: 3);
        List<(string Type, JsonElement Data)> resumedB = await Raw.FeedAsync(server, "folders", "b", 3, after: 3);

        Assert.Equal(("existing", firstKey, first, "a"), Describe(Assert.Single(snapshotA)));
        Assert.Equal(("existing", firstKey, null, null), Describe(Assert.Single(snapshotB)));
        Assert.Equal([("added", secondKey, second, "a"), ("changed", thirdKey, third, "a"), ("removed", fourthKey, fourth, "a")], resumedA.Select(Describe));
        Assert.Equal([("added", secondKey, null, null), ("changed", thirdKey, null, null), ("removed", fourthKey, null, null)], resumedB.Select(Describe));
    }

    private static async Task<(string Optimistic, string Key)> CreateAsync(TestServer server, Mutations client)
    {
        string optimistic = OptimisticKeys.NewString();
        return (optimistic, Results.Single(await server.Transport.PushAsync([client.Create(new Folder { Id = optimistic, Name = "x" })], default)).ServerKey);
    }

    [Fact]
    public async Task WriteAndReadAnswers_CarryXOptimisticIdOnlyToTheCreatingClient()
    {
        await using TestServer server = await TestServer.StartAsync();
        string optimistic = OptimisticKeys.NewString();
        using HttpResponseMessage created = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", $"{{\"id\":\"{optimistic}\",\"name\":\"x\"}}", optimisticId: optimistic);
        string key = Assert.Single(created.Headers.GetValues("X-Sync-Key"));

        using HttpResponseMessage updatedByB = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/" + key, "b", "{\"name\":\"b\"}");
        using HttpResponseMessage updatedByA = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/" + key, "a", "{\"name\":\"a\"}");
        using HttpResponseMessage readByB = await Raw.SendAsync(server, HttpMethod.Get, "sync/folders/" + key, "b");
        using HttpResponseMessage readByA = await Raw.SendAsync(server, HttpMethod.Get, "sync/folders/" + key, "a");
        using HttpResponseMessage deletedByB = await Raw.SendAsync(server, HttpMethod.Delete, "sync/folders/" + key, "b");
        using HttpResponseMessage deletedAgainByA = await Raw.SendAsync(server, HttpMethod.Delete, "sync/folders/" + key, "a");

        Assert.Equal(optimistic, Assert.Single(created.Headers.GetValues("X-Optimistic-Id")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.NoContent],
            new[] { updatedByB, updatedByA, readByB, readByA, deletedByB, deletedAgainByA }.Select(r => r.StatusCode));
        Assert.All([updatedByB, readByB, deletedByB], r => Assert.False(r.Headers.Contains("X-Optimistic-Id")));
        Assert.All([updatedByA, readByA, deletedAgainByA], r => Assert.Equal(optimistic, Assert.Single(r.Headers.GetValues("X-Optimistic-Id"))));
    }

    [Fact]
    public async Task BatchResults_OptimisticKeyOfAnUpdate_OnlyForTheCreatingClient()
    {
        await using TestServer server = await TestServer.StartAsync();
        string optimistic = OptimisticKeys.NewString();
        string key = Results.Single(await server.Transport.PushAsync([new Mutations("a").Create(new Folder { Id = optimistic, Name = "x" })], default)).ServerKey;
        string Batch(string client, string name) =>
            $"{{\"mutations\":[{{\"resource\":\"folders\",\"kind\":\"update\",\"key\":\"{key}\",\"clientId\":\"{client}\",\"data\":{{\"name\":\"{name}\"}}}}]}}";

        using HttpResponseMessage byB = await Raw.SendAsync(server, HttpMethod.Post, "sync/batch", "b", Batch("b", "b"));
        using HttpResponseMessage byA = await Raw.SendAsync(server, HttpMethod.Post, "sync/batch", "a", Batch("a", "a"));

        JsonElement resultB = await SingleResultAsync(byB);
        JsonElement resultA = await SingleResultAsync(byA);
        Assert.False(resultB.TryGetProperty("optimisticKey", out _));
        Assert.Equal(optimistic, resultA.GetProperty("optimisticKey").GetString());
    }

    [Fact]
    public async Task Create_ProposedKeyTaken_EchoedToItsSenderButNeverAnOrigin()
    {
        // S2: the sender learns the mapping of a taken proposal from the answer; the row has no origin.
        await using TestServer server = await TestServer.StartAsync();
        Results.Single(await server.Transport.PushAsync([new Mutations("other").Create(new Folder { Id = "work", Name = "theirs" })], default));

        using HttpResponseMessage created = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", "{\"id\":\"work\",\"name\":\"mine\"}", optimisticId: "work");
        string key = Assert.Single(created.Headers.GetValues("X-Sync-Key"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotEqual("work", key);
        Assert.Equal("work", Assert.Single(created.Headers.GetValues("X-Optimistic-Id")));
        JsonElement mine = Assert.Single(await Raw.ListAsync(server, "folders", "a"), i => i.GetProperty("key").GetString() == key);
        Assert.False(mine.TryGetProperty("originOptimisticKey", out _));
    }

    [Theory]
    [InlineData("optimistic_notaulid")] // looks optimistic (replaced), but is not a key the client library makes
    [InlineData("optimistic_01ARZ3NDEKTSV4RRFFQ69G5FAu")] // lower case is not Crockford base 32 as written
    [InlineData("optimistic_81ARZ3NDEKTSV4RRFFQ69G5FAV")] // a time part past 48 bits
    public async Task Create_OptimisticLookingKeyOfTheWrongShape_ReplacedButNotStoredAsOrigin(string sent)
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage created = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", $"{{\"id\":\"{sent}\",\"name\":\"x\"}}", optimisticId: sent);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotEqual(sent, Assert.Single(created.Headers.GetValues("X-Sync-Key")));
        Assert.False(Assert.Single(await Raw.ListAsync(server, "folders", "a")).TryGetProperty("originOptimisticKey", out _));
    }

    [Fact]
    public async Task Create_GuidProposal_KeptEchoedNeverAnOrigin()
    {
        // S2: Guid keys are proposals; a Guid resource has no origins.
        await using TestServer server = await TestServer.StartAsync();
        string proposal = SyncKeys.Format(Guid.CreateVersion7());

        using HttpResponseMessage created = await Raw.SendAsync(server, HttpMethod.Post, "sync/tickets", "a", $"{{\"id\":\"{proposal}\",\"name\":\"t\"}}", optimisticId: proposal);

        Assert.Equal((proposal, proposal), (Assert.Single(created.Headers.GetValues("X-Sync-Key")), Assert.Single(created.Headers.GetValues("X-Optimistic-Id"))));
        Assert.False(Assert.Single(await Raw.ListAsync(server, "tickets", "a")).TryGetProperty("originOptimisticKey", out _));
    }

    [Fact]
    public async Task Create_WithoutClientId_AnswerEchoesTheKeyButNoOriginIsStored()
    {
        // An origin is tied to its creating client; a request that names none leaves nothing anybody could match.
        await using TestServer server = await TestServer.StartAsync();
        string optimistic = OptimisticKeys.NewString();

        using HttpResponseMessage created = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", clientId: null, $"{{\"id\":\"{optimistic}\",\"name\":\"x\"}}", optimisticId: optimistic);

        Assert.Equal(optimistic, Assert.Single(created.Headers.GetValues("X-Optimistic-Id")));
        Assert.All(await Raw.ListAsync(server, "folders", TestServer.ClientId), i => Assert.False(i.TryGetProperty("originOptimisticKey", out _)));
        Assert.Equal(0, Raw.Count(server, "rows WHERE origin_optimistic_key IS NOT NULL"));
    }

    [Fact]
    public async Task Create_OptimisticIdOtherThanTheBodysKey_Refused400NothingStored()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a",
            $"{{\"id\":\"{OptimisticKeys.NewString()}\",\"name\":\"x\"}}", optimisticId: OptimisticKeys.NewString());

        await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_header");
        Assert.Equal(0, Raw.Count(server, "rows"));
    }

    [Fact]
    public async Task TwoClients_LongAndIntKeys_EqualOptimisticKeysNeverReachTheOtherClient()
    {
        // S3: every client numbers its creates -1, -2, …; -1 of client a means nothing to client b.
        await using TestServer server = await TestServer.StartAsync();
        Http.HttpSyncTransport transportA = server.CreateTransport(), transportB = server.CreateTransport();
        var a = new Mutations("a");
        var b = new Mutations("b");

        IReadOnlyList<PushResult> fromA = await transportA.PushAsync([a.Create(new Counter { Id = -1, Name = "a" }), a.Create(new Badge { Id = -1, Name = "a", CounterId = -1 })], default);
        IReadOnlyList<PushResult> fromB = await transportB.PushAsync([b.Create(new Counter { Id = -1, Name = "b" }), b.Create(new Badge { Id = -1, Name = "b", CounterId = -1 })], default);

        foreach (string resource in (string[])["counters", "badges"])
        {
            List<ListItem> seenByA = await Results.ListAllAsync(transportA, resource, "a");
            List<ListItem> seenByB = await Results.ListAllAsync(transportB, resource, "b");
            int index = resource == "counters" ? 0 : 1;
            string keyOfA = Results.Applied(fromA[index]).ServerKey, keyOfB = Results.Applied(fromB[index]).ServerKey;
            Assert.NotEqual(keyOfA, keyOfB);
            Assert.Equal([(keyOfA, "-1"), (keyOfB, null)], seenByA.Select(i => (i.Key, i.OriginOptimisticKey)).OrderBy(i => i.OriginOptimisticKey is null));
            Assert.Equal([(keyOfB, "-1"), (keyOfA, null)], seenByB.Select(i => (i.Key, i.OriginOptimisticKey)).OrderBy(i => i.OriginOptimisticKey is null));

            await using var feedOfB = new FeedReader(transportB, resource, 0, "b");
            List<ChangeEvent> existing = await feedOfB.TakeAsync(2);
            Assert.Equal("-1", Assert.Single(existing, e => e.OriginOptimisticKey is not null).OriginOptimisticKey);
            Assert.Equal(keyOfB, Assert.Single(existing, e => e.OriginOptimisticKey is not null).Key);
        }

        Badge badgeOfB = Results.Read<Badge>(Results.Applied(fromB[1]).State);
        Assert.Equal(long.Parse(Results.Applied(fromB[0]).ServerKey, System.Globalization.CultureInfo.InvariantCulture), badgeOfB.CounterId); // its own -1
    }

    private static (string Type, string? Key, string? Origin, string? OriginClient) Describe((string Type, JsonElement Data) e) =>
        (e.Type, Raw.OptionalString(e.Data, "key"), Raw.OptionalString(e.Data, "originOptimisticKey"), Raw.OptionalString(e.Data, "originClientId"));

    private static async Task<JsonElement> SingleResultAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement result = Assert.Single(answer.RootElement.GetProperty("results").EnumerateArray()).Clone();
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        return result;
    }
}
