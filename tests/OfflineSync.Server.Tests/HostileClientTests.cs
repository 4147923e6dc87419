using System.Net;
using System.Text;
using System.Text.Json;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>
/// A client that sends what it likes, with raw requests: it learns nothing of other clients' answers,
/// misdirects nothing, and nothing it sends that the server refuses is stored.
/// </summary>
public sealed class HostileClientTests
{
    [Fact]
    public async Task ReplayedIdempotencyKey_ByAnotherClient_IsNotAnsweredFromTheStore()
    {
        // DESIGN §6: another client's key is never answered from the store.
        await using TestServer server = await TestServer.StartAsync();
        string optimistic = OptimisticKeys.NewString();
        string body = $"{{\"id\":\"{optimistic}\",\"name\":\"A's\"}}";
        string key = $"folders:create:{optimistic}:a:1";
        using HttpResponseMessage original = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", body, key, optimistic);
        string keyOfA = Assert.Single(original.Headers.GetValues("X-Sync-Key"));

        using HttpResponseMessage byM = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "m", body, key, optimistic);
        using HttpResponseMessage anonymous = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", clientId: null, body, key, optimistic);
        using HttpResponseMessage byA = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", body, key, optimistic);

        Assert.All([byM, anonymous], r =>
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            Assert.False(r.Headers.Contains("Idempotent-Replayed"));
            Assert.NotEqual(keyOfA, Assert.Single(r.Headers.GetValues("X-Sync-Key")));
        });
        Assert.Equal("true", Assert.Single(byA.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(keyOfA, Assert.Single(byA.Headers.GetValues("X-Sync-Key")));
        Assert.Equal(3, Raw.Count(server, "rows")); // M's and the anonymous creates are their own rows
        JsonElement seenByM = Assert.Single(await Raw.ListAsync(server, "folders", "m"), i => i.GetProperty("key").GetString() == keyOfA);
        Assert.False(seenByM.TryGetProperty("originOptimisticKey", out _));
    }

    [Fact]
    public async Task PreemptedIdempotencyKey_TheOwnersUpdateStillApplies()
    {
        // M sends A's next, predictable key first: it is M's key, A's update still applies (no 422 for A).
        await using TestServer server = await TestServer.StartAsync();
        var a = new Mutations("a");
        string row = Results.Single(await server.Transport.PushAsync([a.Create(new Folder { Id = "doc", Name = "v1" })], default)).ServerKey;
        OutgoingMutation update = a.Update(row, new FolderPatch { Name = "A's" });

        using HttpResponseMessage preempted = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/" + row, "m", "{\"name\":\"M's\"}", update.IdempotencyKey);
        PushResult result = Assert.Single(await server.Transport.PushAsync([update], default));

        Assert.Equal(HttpStatusCode.OK, preempted.StatusCode);
        PushResult.Applied applied = Results.Applied(result);
        Assert.Equal(("A's", "3"), (Results.Read<Folder>(applied.State).Name, applied.Version));
        Assert.Equal("A's", Results.Read<Folder>(Assert.Single(await Results.ListAllAsync(server.Transport, "folders")).Data).Name);
    }

    [Fact]
    public async Task ForgedOptimisticId_OfAnotherClientsPendingCreate_NeverBecomesThatClientsOrigin()
    {
        // M learns A's pending key K and creates a row with it: A's list and feed never show K on M's row.
        await using TestServer server = await TestServer.StartAsync();
        string k = OptimisticKeys.NewString();

        using HttpResponseMessage forged = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "m", $"{{\"id\":\"{k}\",\"name\":\"M's\"}}", optimisticId: k);
        using HttpResponseMessage mismatched = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "m", $"{{\"id\":\"{OptimisticKeys.NewString()}\",\"name\":\"M's\"}}", optimisticId: k);
        string rowOfM = Assert.Single(forged.Headers.GetValues("X-Sync-Key"));
        string rowOfA = Results.Single(await server.Transport.PushAsync([new Mutations("a").Create(new Folder { Id = k, Name = "A's" })], default)).ServerKey;

        await Raw.AssertProblemAsync(mismatched, HttpStatusCode.BadRequest, "invalid_header");
        List<JsonElement> listOfA = await Raw.ListAsync(server, "folders", "a");
        Assert.Equal([(rowOfA, k), (rowOfM, null)], listOfA.Select(i => (i.GetProperty("key").GetString(), Raw.OptionalString(i, "originOptimisticKey"))).OrderBy(i => i.Item2 is null));
        List<(string Type, JsonElement Data)> feedOfA = await Raw.FeedAsync(server, "folders", "a", 2);
        Assert.Equal(k, Raw.OptionalString(Assert.Single(feedOfA, e => e.Data.GetProperty("key").GetString() == rowOfA).Data, "originOptimisticKey"));
        Assert.Null(Raw.OptionalString(Assert.Single(feedOfA, e => e.Data.GetProperty("key").GetString() == rowOfM).Data, "originOptimisticKey"));
    }

    public static TheoryData<string, string, string, string> PoisonedWrites => new()
    {
        // method, path, client id, body
        { "POST", "sync/folders", "a", "{\"id\":\"bad\\r\\nkey\",\"name\":\"x\"}" },
        { "POST", "sync/folders", "a", "{\"id\":\"caf\u00e9\",\"name\":\"x\"}" },
        { "POST", "sync/folders", "a", "{\"id\":\"with space\",\"name\":\"x\"}" },
        { "POST", "sync/folders", "a", "{\"id\":\"" + new string('k', 20_000) + "\",\"name\":\"x\"}" },
        { "POST", "sync/notes", "a", "{\"id\":\"\",\"title\":\"t\",\"folderId\":\"f\\n1\"}" },
        { "POST", "sync/notes", "a", "{\"id\":\"\",\"title\":\"t\",\"relatedIds\":[\"n1\",null]}" },
        { "POST", "sync/notes", "a", "{\"id\":\"\",\"title\":\"t\",\"relatedIds\":[\"" + new string('r', 300) + "\"]}" },
        { "PATCH", "sync/folders/bad%0D%0Akey", "a", "{\"name\":\"x\"}" },
        { "PATCH", "sync/folders/caf%C3%A9", "a", "{\"name\":\"x\"}" },
        { "PATCH", "sync/folders/" + new string('k', 2_000), "a", "{\"name\":\"x\"}" },
        { "DELETE", "sync/folders/bad%0Akey", "a", "" },
        { "POST", "sync/folders", new string('c', 200), "{\"id\":\"\",\"name\":\"x\"}" },
        { "POST", "sync/folders", "two words", "{\"id\":\"\",\"name\":\"x\"}" },
        { "POST", "sync/batch", "a", "{\"mutations\":[{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"k\\r\\n\",\"data\":{\"id\":\"\",\"name\":\"x\"}}]}" },
        { "POST", "sync/batch", "a", "{\"mutations\":[{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"\",\"optimisticKey\":\"\u00e9\",\"data\":{\"id\":\"\",\"name\":\"x\"}}]}" },
        { "POST", "sync/batch", "a", "{\"mutations\":[{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"\",\"idempotencyKey\":\"" + new string('i', 2_000) + "\",\"data\":{\"id\":\"\",\"name\":\"x\"}}]}" },
        { "POST", "sync/batch", "a", "{\"mutations\":[{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"\",\"data\":{\"id\":\"\",\"name\":\"x\"}},{\"resource\":\"folders\",\"kind\":\"delete\",\"key\":\"" + new string('k', 20_000) + "\"}]}" },
        { "POST", "sync/batch", "a", "{\"mutations\":[{\"resource\":\"notes\",\"kind\":\"create\",\"key\":\"\",\"data\":{\"id\":\"\",\"title\":\"t\",\"relatedIds\":[null]}}]}" },
    };

    [Theory]
    [MemberData(nameof(PoisonedWrites))]
    public async Task PoisonedKeysAndClientIds_Refused400InvalidKey_NothingStored(string method, string path, string clientId, string body)
    {
        // Issue 11 §5: a bad key is refused before anything is committed, never stored and then unanswerable.
        await using TestServer server = await TestServer.StartAsync();
        Results.Single(await server.Transport.PushAsync([new Mutations().Create(new Folder { Id = "existing", Name = "kept" })], default));
        long changes = Raw.Count(server, "changes");

        using HttpResponseMessage response = await Raw.SendAsync(server, new HttpMethod(method), path, clientId, body.Length == 0 ? null : body, idempotencyKey: "poison:1");

        HttpStatusCode status = response.StatusCode;
        if (status == HttpStatusCode.OK)
        {
            // A batch refuses an item whose data holds the bad key: that item's result is the problem.
            using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            JsonElement last = answer.RootElement.GetProperty("results").EnumerateArray().Last();
            Assert.Equal(400, last.GetProperty("status").GetInt32());
            Assert.Equal("urn:offlinesync:problem:invalid_key", last.GetProperty("problem").GetProperty("type").GetString());
            Assert.Single(answer.RootElement.GetProperty("results").EnumerateArray());
        }
        else
        {
            await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_key");
        }

        Assert.Equal((1L, changes, 0L), (Raw.Count(server, "rows"), Raw.Count(server, "changes"), Raw.Count(server, "idempotency WHERE key = 'poison:1'")));
        Assert.Equal("kept", Results.Read<Folder>(Assert.Single(await Results.ListAllAsync(server.Transport, "folders")).Data).Name);
    }

    [Fact]
    public async Task PoisonedIdempotencyKeyAndOptimisticId_InHeaders_Refused400()
    {
        await using TestServer server = await TestServer.StartAsync();
        string optimistic = OptimisticKeys.NewString();
        string body = $"{{\"id\":\"{optimistic}\",\"name\":\"x\"}}";

        using HttpResponseMessage longIdempotencyKey = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", body, idempotencyKey: new string('i', 1_025));
        using HttpResponseMessage spacedIdempotencyKey = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", body, idempotencyKey: "a key");
        using HttpResponseMessage longOptimisticId = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", body, optimisticId: new string('o', 300));
        using HttpRequestMessage twice = Raw.Request(HttpMethod.Post, "sync/folders", "a", body);
        twice.Headers.TryAddWithoutValidation("X-Client-Id", "b");
        using HttpResponseMessage twoClientIds = await server.Http.SendAsync(twice);

        // HttpClient folds the second X-Client-Id into one line, "a, b": not a client id either.
        foreach (HttpResponseMessage response in (HttpResponseMessage[])[longIdempotencyKey, spacedIdempotencyKey, longOptimisticId, twoClientIds])
        {
            await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_key");
        }

        Assert.Equal(0, Raw.Count(server, "rows"));
    }

    [Fact]
    public async Task PoisonedKeysOnReads_Refused400()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage get = await Raw.SendAsync(server, HttpMethod.Get, "sync/folders/caf%C3%A9", "a");
        using HttpResponseMessage list = await Raw.SendAsync(server, HttpMethod.Get, "sync/folders?after=a%0D%0Ab", "a");
        using HttpResponseMessage listClient = await Raw.SendAsync(server, HttpMethod.Get, "sync/folders", new string('c', 129));
        using HttpRequestMessage feedRequest = Raw.Request(HttpMethod.Get, "sync/folders/events", "a b");
        using HttpResponseMessage feed = await server.Http.SendAsync(feedRequest);

        foreach (HttpResponseMessage response in (HttpResponseMessage[])[get, list, listClient, feed])
        {
            await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_key");
        }
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("")]
    public async Task NonJsonWrites_Refused415_NothingStored(string contentType)
    {
        // Issue 11 §8: writes sent as text or a form were applied.
        await using TestServer server = await TestServer.StartAsync();
        string row = Results.Single(await server.Transport.PushAsync([new Mutations().Create(new Folder { Id = "doc", Name = "kept" })], default)).ServerKey;
        long changes = Raw.Count(server, "changes");

        (HttpMethod Method, string Path, string Body)[] writes =
        [
            (HttpMethod.Post, "sync/folders", "{\"id\":\"\",\"name\":\"x\"}"),
            (HttpMethod.Patch, "sync/folders/" + row, "{\"name\":\"x\"}"),
            (HttpMethod.Post, "sync/batch", "{\"mutations\":[{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"\",\"data\":{\"id\":\"\",\"name\":\"x\"}}]}"),
        ];
        foreach ((HttpMethod method, string path, string body) in writes)
        {
            using HttpRequestMessage request = Raw.Request(method, path, "a", body, contentType);
            if (contentType.Length == 0)
            {
                request.Content!.Headers.ContentType = null;
            }

            using HttpResponseMessage response = await server.Http.SendAsync(request);
            await Raw.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        }

        Assert.Equal((1L, changes), (Raw.Count(server, "rows"), Raw.Count(server, "changes")));
        Assert.Equal("kept", Results.Read<Folder>(Assert.Single(await Results.ListAllAsync(server.Transport, "folders")).Data).Name);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task JsonWrites_AnyJsonMediaType_Accepted(string contentType)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpRequestMessage request = Raw.Request(HttpMethod.Post, "sync/folders", "a", "{\"id\":\"\",\"name\":\"x\"}", contentType);

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBatchItem_413ForThatItem_NothingAfterItApplied()
    {
        // Issue 11 §8: an item bigger than a single write's limit was stored; the same body alone gets 413.
        await using TestServer server = await TestServer.StartAsync(o => o.MaxRequestBodySize = 1024);
        string big = new('x', 2_000);
        string Item(string name) => $"{{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"\",\"clientId\":\"a\",\"data\":{{\"id\":\"\",\"name\":\"{name}\"}}}}";

        using HttpResponseMessage response = await Raw.SendAsync(server, HttpMethod.Post, "sync/batch", "a", $"{{\"mutations\":[{Item("first")},{Item(big)},{Item("after")}]}}");
        using HttpResponseMessage alone = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", $"{{\"id\":\"\",\"name\":\"{big}\"}}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement[] results = answer.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([201, 413], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("urn:offlinesync:problem:too_large", results[1].GetProperty("problem").GetProperty("type").GetString());
        await Raw.AssertProblemAsync(alone, HttpStatusCode.RequestEntityTooLarge, "too_large");
        Assert.Equal(["first"], (await Results.ListAllAsync(server.Transport, "folders")).Select(i => Results.Read<Folder>(i.Data).Name));
    }

    [Fact]
    public async Task StoredOriginThatCannotBeAHeader_AnswerFailsBeforeCommit_NothingChanges()
    {
        // Issue 11 §5: the answer's headers are computed inside the transaction; a value that cannot be sent rolls the write back.
        // A file written before keys were checked can hold such an origin; it is planted here directly.
        await using TestServer server = await TestServer.StartAsync();
        string row = Results.Single(await server.Transport.PushAsync([new Mutations("a").Create(new Folder { Id = "legacy", Name = "v1" })], default)).ServerKey;
        await server.Host.StopAsync();
        Assert.Equal(1, server.Execute("UPDATE rows SET origin_optimistic_key = @value WHERE key = 'legacy';", "optimistic_\r\nx"));

        await server.RestartAsync();
        long changes = Raw.Count(server, "changes");
        using HttpResponseMessage response = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/" + row, "a", "{\"name\":\"v2\"}", idempotencyKey: "k1");

        await Raw.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal");
        Assert.Equal((changes, 0L), (Raw.Count(server, "changes"), Raw.Count(server, "idempotency WHERE key = 'k1'")));
        ListItem item = Assert.Single(await Results.ListAllAsync(server.Transport, "folders", "b"));
        Assert.Equal(("1", "v1"), (item.Version, Results.Read<Folder>(item.Data).Name));
    }

    [Fact]
    public async Task EmptyAndSameValuePatches_StoreAndLogNothing()
    {
        // Issue 11 §8: 100 empty patches grew the database by 27 MB.
        await using TestServer server = await TestServer.StartAsync();
        var a = new Mutations("a");
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([a.Create(new Folder { Id = "doc", Name = "same" })], default));
        long changes = Raw.Count(server, "changes");

        var answers = new List<PushResult.Applied>();
        for (int i = 0; i < 50; i++)
        {
            answers.Add(Results.Single(await server.Transport.PushAsync([a.Update(created.ServerKey, i % 2 == 0 ? new FolderPatch() : new FolderPatch { Name = "same" })], default)));
        }

        Assert.All(answers, applied => Assert.Equal((created.ServerKey, "1"), (applied.ServerKey, applied.Version)));
        Assert.All(answers, applied => Assert.Equal(created.State.ToArray(), applied.State.ToArray()));
        Assert.Equal(changes, Raw.Count(server, "changes"));
        Assert.Equal("1", Assert.Single(await Results.ListAllAsync(server.Transport, "folders")).Version);
        PushResult.Applied real = Results.Single(await server.Transport.PushAsync([a.Update(created.ServerKey, new FolderPatch { Name = "changed" })], default));
        Assert.Equal("2", real.Version);
    }

    [Fact]
    public async Task NoOpPatch_Replayed_AnswersTheStoredAnswerAndDoesNotReapply()
    {
        // A no-op is an answered write like any other: its replay repeats the answer, even after the row moved on.
        await using TestServer server = await TestServer.StartAsync();
        var a = new Mutations("a");
        string row = Results.Single(await server.Transport.PushAsync([a.Create(new Folder { Id = "doc", Name = "same" })], default)).ServerKey;
        OutgoingMutation noOp = a.Update(row, new FolderPatch { Name = "same" });
        Results.Single(await server.Transport.PushAsync([noOp], default));
        Results.Single(await server.Transport.PushAsync([new Mutations("b").Update(row, new FolderPatch { Name = "b's" })], default));

        using HttpRequestMessage replay = Raw.Request(HttpMethod.Patch, "sync/folders/" + row, "a", Encoding.UTF8.GetString(noOp.Payload.Span));
        replay.Headers.TryAddWithoutValidation("Idempotency-Key", noOp.IdempotencyKey);
        using HttpResponseMessage response = await server.Http.SendAsync(replay);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("b's", Results.Read<Folder>(Assert.Single(await Results.ListAllAsync(server.Transport, "folders")).Data).Name);
    }
}
