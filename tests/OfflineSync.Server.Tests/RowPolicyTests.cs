using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OfflineSync.Http;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;

namespace OfflineSync.Server.Tests;

/// <summary>
/// Per-user data end to end (docs/security.md): two users signed in with JWT bearer tokens, each with two devices
/// (real sync clients with their own stores), over real Kestrel and the suite's store. Todos and categories belong to
/// their creator; a category is also read by the users it is shared with.
/// </summary>
public sealed class RowPolicyTests : IAsyncLifetime
{
    private SignedInServer _server = null!;

    public async Task InitializeAsync() => _server = await SignedInServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact] // S15 under a row policy: lists and feeds carry a user's rows only
    public async Task TwoUsersTwoDevicesEach_EachDeviceSeesItsOwnUsersRowsOnly()
    {
        TodoSync alicePhone = _server.Device("alice", "alice-phone", online: false);
        TodoSync bobPhone = _server.Device("bob", "bob-phone", online: false);
        Category work = alicePhone.Categories.Create(new Category { Name = "Work" });
        alicePhone.Todos.Create(new Todo { Title = "Ship", CategoryId = work.Id });
        bobPhone.Todos.Create(new Todo { Title = "Bob's errand" });
        alicePhone.SetOnline(true);
        bobPhone.SetOnline(true);
        await SyncAsync(alicePhone);
        await SyncAsync(bobPhone);

        TodoSync aliceLaptop = _server.Device("alice", "alice-laptop");
        TodoSync bobLaptop = _server.Device("bob", "bob-laptop");
        await WaitUntilAsync(() => aliceLaptop.Todos.Items.Count == 1 && aliceLaptop.Categories.Items.Count == 1, "alice's laptop lists her todo and category");
        await WaitUntilAsync(() => bobLaptop.Todos.Items.Count == 1, "bob's laptop lists his todo");

        // Live: each phone's next todo reaches its own user's laptop, and only there.
        bobPhone.Todos.Create(new Todo { Title = "Bob's second" });
        alicePhone.Todos.Create(new Todo { Title = "Alice's second" });
        await SyncAsync(bobPhone);
        await SyncAsync(alicePhone);
        await WaitUntilAsync(() => aliceLaptop.Todos.Items.Count == 2, "alice's laptop follows her new todo");
        await WaitUntilAsync(() => bobLaptop.Todos.Items.Count == 2, "bob's laptop follows his new todo");

        Assert.Equal(["Alice's second", "Ship"], aliceLaptop.Todos.Items.Select(static t => t.Title).Order());
        Assert.Equal(["Bob's errand", "Bob's second"], bobLaptop.Todos.Items.Select(static t => t.Title).Order());
        Assert.Empty(bobLaptop.Categories.Items);
        Assert.Equal(aliceLaptop.Todos.Items.Single(static t => t.Title == "Ship").CategoryId, Assert.Single(aliceLaptop.Categories.Items).Id);
    }

    [Fact]
    public async Task AnotherUsersRow_CannotBeReadListedUpdatedDeletedOrBatchWritten()
    {
        HttpClient alice = _server.HttpFor("alice"), bob = _server.HttpFor("bob");
        string key = await CreateAsync(alice, "todos", """{"title":"Alice's"}""");

        using (HttpResponseMessage get = await bob.GetAsync($"sync/todos/{key}"))
        {
            await Raw.AssertProblemAsync(get, HttpStatusCode.NotFound, "not_found");
        }

        Assert.Empty(await ListAsync(bob, "todos"));

        // A write is refused before the version check: a stale If-Match gets 403, never a 409 that carries the row.
        using (HttpResponseMessage patch = await bob.SendAsync(Request(HttpMethod.Patch, $"sync/todos/{key}", """{"title":"Bob was here"}""", ifMatch: "\"7\"")))
        {
            await Raw.AssertProblemAsync(patch, HttpStatusCode.Forbidden, "forbidden");
        }

        using (HttpResponseMessage delete = await bob.SendAsync(Request(HttpMethod.Delete, $"sync/todos/{key}", null)))
        {
            await Raw.AssertProblemAsync(delete, HttpStatusCode.Forbidden, "forbidden");
        }

        // In a batch, the refused item refuses the whole batch: bob's own create before it is not applied either.
        string batch = $$$"""
            {"mutations":[
              {"resource":"todos","kind":"create","data":{"title":"Bob's own"}},
              {"resource":"todos","kind":"update","key":"{{{key}}}","data":{"completed":true}}]}
            """;
        using (HttpResponseMessage refused = await bob.SendAsync(Request(HttpMethod.Post, "sync/batch", batch)))
        {
            string detail = await Raw.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
            Assert.Contains("Mutation 1", detail, StringComparison.Ordinal);
            Assert.Equal(1, await Raw.ProblemMutationAsync(refused));
        }

        using (HttpResponseMessage refused = await bob.SendAsync(Request(HttpMethod.Post, "sync/batch", $$"""{"mutations":[{"resource":"todos","kind":"delete","key":"{{key}}"}]}""")))
        {
            await Raw.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        }

        Assert.Empty(await ListAsync(bob, "todos"));
        JsonElement row = Assert.Single(await ListAsync(alice, "todos"));
        Assert.Equal("1", row.GetProperty("version").GetString());
        Assert.Equal("Alice's", row.GetProperty("data").GetProperty("title").GetString());
        Assert.False(row.GetProperty("data").GetProperty("completed").GetBoolean());

        // Without a token the resource's own authorization answers, as it does for the batch.
        using HttpResponseMessage anonymous = await _server.HttpFor(null).GetAsync("sync/todos");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task AnotherUsersFeed_NeverCarriesTheRowNorItsKey()
    {
        HttpClient alice = _server.HttpFor("alice"), bob = _server.HttpFor("bob");
        string hidden = await CreateAsync(alice, "todos", """{"title":"Alice's"}""");
        string before = await CreateAsync(bob, "todos", """{"title":"Bob's first"}""");
        using var bobTransport = new HttpSyncTransport(_server.HttpFor("bob"));
        await using var feed = new FeedReader(bobTransport, "todos", 0, "bob-phone");

        // The snapshot holds bob's row only; once it arrived the feed follows the log.
        ChangeEvent existing = Assert.Single(await feed.TakeAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal((ChangeKind.Existing, before), (existing.Kind, existing.Key));

        // Alice changes and deletes her row, then bob creates one: his feed's next event is his own row.
        await SendOkAsync(alice, Request(HttpMethod.Patch, $"sync/todos/{hidden}", """{"completed":true}"""));
        await SendOkAsync(alice, Request(HttpMethod.Delete, $"sync/todos/{hidden}", null));
        string own = await CreateAsync(bob, "todos", """{"title":"Bob's"}""");

        ChangeEvent next = Assert.Single(await feed.TakeAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal((ChangeKind.Added, own), (next.Kind, next.Key));
    }

    [Fact]
    public async Task IdempotencyKeys_AreEachUsers_AnotherUserWithTheSameClientIdAndKeyIsNeverReplayed()
    {
        HttpClient alice = _server.HttpFor("alice"), bob = _server.HttpFor("bob");
        using HttpResponseMessage first = await alice.SendAsync(Request(HttpMethod.Post, "sync/todos", """{"title":"Alice's"}""", clientId: "device-1", idempotencyKey: "k1"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        string aliceKey = await KeyOfAsync(first);

        // Bob claims alice's client id and replays her key and body: a new write of his, not her stored answer.
        using HttpResponseMessage replay = await bob.SendAsync(Request(HttpMethod.Post, "sync/todos", """{"title":"Alice's"}""", clientId: "device-1", idempotencyKey: "k1"));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.False(replay.Headers.Contains("Idempotent-Replayed"));
        string bobKey = await KeyOfAsync(replay);
        Assert.NotEqual(aliceKey, bobKey);

        // Each user's own retry is replayed from that user's record.
        using HttpResponseMessage aliceRetry = await alice.SendAsync(Request(HttpMethod.Post, "sync/todos", """{"title":"Alice's"}""", clientId: "device-1", idempotencyKey: "k1"));
        Assert.True(aliceRetry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(aliceKey, await KeyOfAsync(aliceRetry));
        using HttpResponseMessage bobRetry = await bob.SendAsync(Request(HttpMethod.Post, "sync/todos", """{"title":"Alice's"}""", clientId: "device-1", idempotencyKey: "k1"));
        Assert.True(bobRetry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(bobKey, await KeyOfAsync(bobRetry));

        Assert.Equal(aliceKey, Assert.Single(await ListAsync(alice, "todos")).GetProperty("key").GetString());
        Assert.Equal(bobKey, Assert.Single(await ListAsync(bob, "todos")).GetProperty("key").GetString());
    }

    [Fact] // S3, S15: an origin reaches the creating client of the creating user only
    public async Task OptimisticKeys_OfASharedRow_ReachOnlyTheCreatingUsersClient()
    {
        HttpClient alice = _server.HttpFor("alice"), bob = _server.HttpFor("bob");
        string optimistic = OptimisticKeys.NewString();
        using HttpResponseMessage created = await alice.SendAsync(Request(HttpMethod.Post, "sync/categories", $$"""{"id":"{{optimistic}}","name":"Shared","sharedWith":["bob"]}""", clientId: "device-1", optimisticId: optimistic));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Bob reads the shared row, even as a client of the same id, without its origin.
        JsonElement seenByBob = Assert.Single(await ListAsync(bob, "categories", clientId: "device-1"));
        Assert.Null(Raw.OptionalString(seenByBob, "originOptimisticKey"));
        using var bobTransport = new HttpSyncTransport(_server.HttpFor("bob"));
        await using (var feed = new FeedReader(bobTransport, "categories", 0, "device-1"))
        {
            ChangeEvent existing = Assert.Single(await feed.TakeAsync(1, TimeSpan.FromSeconds(30)));
            Assert.Equal(ChangeKind.Existing, existing.Kind);
            Assert.Null(existing.OriginOptimisticKey);
        }

        JsonElement seenByAlice = Assert.Single(await ListAsync(alice, "categories", clientId: "device-1"));
        Assert.Equal(optimistic, Raw.OptionalString(seenByAlice, "originOptimisticKey"));
        Assert.Equal("device-1", Raw.OptionalString(seenByAlice, "originClientId"));
    }

    [Fact] // S15: a row entering a user's scope arrives as added, one leaving it as removed
    public async Task SharedCategory_ShowsUpAndDisappearsInTheOtherUsersLiveView()
    {
        TodoSync alicePhone = _server.Device("alice", "alice-phone");
        TodoSync bobPhone = _server.Device("bob", "bob-phone");
        string bobs = await CreateAsync(_server.HttpFor("bob"), "categories", """{"name":"Bob's own"}""");
        using var bobTransport = new HttpSyncTransport(_server.HttpFor("bob"));
        await using var bobFeed = new FeedReader(bobTransport, "categories", 0, "bob-raw");
        Assert.Equal(bobs, Assert.Single(await bobFeed.TakeAsync(1, TimeSpan.FromSeconds(30))).Key); // the feed follows the log from here
        Category family = alicePhone.Categories.Create(new Category { Name = "Family" });
        await SyncAsync(alicePhone);
        Assert.True(alicePhone.IdMap.TryResolve<Category>(family.Id, out string? key));

        alicePhone.Categories.Update(key, c => c.SharedWith = ["bob"]);
        await SyncAsync(alicePhone);
        await WaitUntilAsync(() => bobPhone.Categories.Items.Any(c => c.Id == key), "the shared category shows up on bob's phone");
        Assert.Equal("Family", bobPhone.Categories.Items.Single(c => c.Id == key).Name);

        // Bob reads it, but only its owner changes it.
        using (HttpResponseMessage patch = await _server.HttpFor("bob").SendAsync(Request(HttpMethod.Patch, $"sync/categories/{key}", """{"name":"Mine now"}""")))
        {
            await Raw.AssertProblemAsync(patch, HttpStatusCode.Forbidden, "forbidden");
        }

        alicePhone.Categories.Update(key, c => c.SharedWith = []);
        await SyncAsync(alicePhone);
        await WaitUntilAsync(() => !bobPhone.Categories.Items.Any(c => c.Id == key), "the unshared category disappears from bob's phone");
        Assert.Equal(bobs, Assert.Single(bobPhone.Categories.Items).Id);
        Assert.Single(alicePhone.Categories.Items);

        List<ChangeEvent> events = await bobFeed.TakeAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal([ChangeKind.Added, ChangeKind.Removed], events.Select(static e => e.Kind));
        Assert.All(events, e => Assert.Equal(key, e.Key));
        Assert.True(events[1].Data.IsEmpty); // a removal carries no row
    }

    private static async Task SyncAsync(TodoSync client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client.SyncAsync(timeout.Token);
        Assert.Empty(client.GetPending());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? clientId = null, string? idempotencyKey = null, string? optimisticId = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (clientId is not null)
        {
            request.Headers.Add("X-Client-Id", clientId);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (optimisticId is not null)
        {
            request.Headers.Add("X-Optimistic-Id", optimisticId);
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return request;
    }

    private static async Task<string> CreateAsync(HttpClient client, string resource, string json)
    {
        using HttpResponseMessage response = await client.SendAsync(Request(HttpMethod.Post, "sync/" + resource, json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await KeyOfAsync(response);
    }

    private static async Task SendOkAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (HttpResponseMessage response = await client.SendAsync(request))
        {
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string> KeyOfAsync(HttpResponseMessage response)
    {
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string resource, string? clientId = null)
    {
        using HttpResponseMessage response = await client.SendAsync(Request(HttpMethod.Get, $"sync/{resource}?limit=1000", null, clientId));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using JsonDocument page = JsonDocument.Parse(body);
        return page.RootElement.GetProperty("items").EnumerateArray().Select(static i => i.Clone()).ToList();
    }
}
