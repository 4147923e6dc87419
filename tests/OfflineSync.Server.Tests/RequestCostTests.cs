using System.Net;
using System.Text;
using System.Text.Json;
using OfflineSync.Protocol;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>
/// What one request may cost the server, tried as an attacker would: rows of characters the default JSON encoder
/// inflates, batches of patches of a large row, a row grown past what clients read, large lists, slow feed readers.
/// Each is bounded: in what the server answers, what it stores and what it holds.
/// </summary>
public sealed class RequestCostTests
{
    /// <summary>Characters the default encoder writes as six bytes each; JSON itself requires escaping only <c>"</c>.</summary>
    private const string Html = "<>&'\"";

    [Fact]
    public async Task RowOfHtmlCharacters_StoredListedAndSentAtItsSize_AnswersSayNosniff()
    {
        await using TestServer server = await TestServer.StartAsync();
        string name = string.Concat(Enumerable.Repeat(Html, 10_000)); // 50,000 characters, 60,000 bytes of JSON as sent
        string body = $"{{\"id\":\"big\",\"name\":{Escaped(name)}}}";

        using HttpResponseMessage created = await Raw.SendAsync(server, HttpMethod.Post, "sync/folders", "a", body);
        byte[] answer = await created.Content.ReadAsByteArrayAsync();
        List<JsonElement> listed = await Raw.ListAsync(server, "folders", "a");
        (string Type, JsonElement Data) existing = Assert.Single(await Raw.FeedAsync(server, "folders", "a", 1));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.InRange(answer.Length, body.Length, body.Length + 100); // not 6 × 50,000
        Assert.Contains("<>&'\\\"", Encoding.UTF8.GetString(answer), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(created.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(1, server.Count($"rows WHERE key = 'big' AND length(json) < {body.Length + 100}"));
        Assert.Equal(name, Assert.Single(listed).GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(name, existing.Data.GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task UpdateThatWouldGrowTheRowPastMaxRowBytes_413TooLarge_NothingCommitted()
    {
        await using TestServer server = await TestServer.StartAsync(o =>
        {
            o.MaxRowBytes = 64 * 1024;
            o.MaxRequestBodySize = 48 * 1024;
        });
        var m = new Mutations();
        string key = Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = "n", Title = new string('t', 30 * 1024) })], default)).ServerKey;
        string related = "[" + string.Join(',', Enumerable.Range(0, 150).Select(i => $"\"{new string('r', 240)}{i:D3}\"")) + "]"; // 37 KiB: each patch fits, the row would not

        using HttpResponseMessage single = await Raw.SendAsync(server, HttpMethod.Patch, $"sync/notes/{key}", TestServer.ClientId, $"{{\"relatedIds\":{related}}}");
        using HttpResponseMessage batch = await Raw.SendAsync(server, HttpMethod.Post, "sync/batch", TestServer.ClientId,
            $"{{\"mutations\":[{{\"resource\":\"notes\",\"kind\":\"update\",\"key\":\"{key}\",\"data\":{{\"folderId\":\"f1\"}}}},{{\"resource\":\"notes\",\"kind\":\"update\",\"key\":\"{key}\",\"data\":{{\"relatedIds\":{related}}}}}]}}");

        string detail = await Raw.AssertProblemAsync(single, HttpStatusCode.RequestEntityTooLarge, "too_large");
        Assert.Contains("MaxRowBytes", detail, StringComparison.Ordinal);
        using JsonDocument results = JsonDocument.Parse(await batch.Content.ReadAsStringAsync());
        Assert.Equal([200, 413], results.RootElement.GetProperty("results").EnumerateArray().Select(static r => r.GetProperty("status").GetInt32()));
        JsonElement row = Assert.Single(await Raw.ListAsync(server, "notes", TestServer.ClientId));
        Assert.Equal(("2", 0), (row.GetProperty("version").GetString(), row.GetProperty("data").GetProperty("relatedIds").GetArrayLength()));
        Assert.Equal(1, server.Count("changes WHERE key = 'n' OR key = '" + key + "'"));
    }

    [Fact] // the attacker's batch: 30 patches of one large row in a request of a few KiB
    public async Task BatchOfThirtyEmptyPatchesOfALargeRow_AnswerAndStoredRecordsStayWithinTheBudget()
    {
        const int budget = 256 * 1024;
        await using TestServer server = await TestServer.StartAsync(o => o.MaxBatchAnswerBytes = budget);
        var m = new Mutations();
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "big", Name = string.Concat(Enumerable.Repeat(Html, 12_000)) })], default));
        long recordsBefore = server.Count("idempotency");

        string request = Batch(30, i => "{}");
        using HttpResponseMessage answer = await Raw.SendAsync(server, HttpMethod.Post, "sync/batch", TestServer.ClientId, request);
        byte[] body = await answer.Content.ReadAsByteArrayAsync();

        Assert.True(request.Length < 4096, $"the request has {request.Length} bytes");
        Assert.True(body.Length < budget + (64 * 1024), $"the answer has {body.Length} bytes"); // the budget, and the one row that crossed it
        using JsonDocument results = JsonDocument.Parse(body);
        int applied = results.RootElement.GetProperty("results").GetArrayLength();
        Assert.InRange(applied, 1, 29); // the rest waits for the client's next batch
        Assert.All(results.RootElement.GetProperty("results").EnumerateArray(), static r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        Assert.Equal(applied, server.Count("idempotency") - recordsBefore);
        Assert.Equal(1, server.Count("changes WHERE key = 'big'")); // no-op patches append nothing
    }

    [Fact] // S15: a large row updated thirty times has one entry in the log; a resuming client reads it once, as it is
    public async Task BatchOfThirtyOneFieldPatchesOfALargeRow_LogKeepsOneEntry_AResumingFeedReadsTheRowOnce()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        string title = new('t', 60 * 1024);
        Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = "big", Title = title })], default));
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "other", Name = "x" })], default));

        using HttpResponseMessage answer = await Raw.SendAsync(server, HttpMethod.Post, "sync/batch", TestServer.ClientId, Batch(30, i => $"{{\"relatedIds\":[\"r{i}\"]}}", resource: "notes"));
        List<(string Type, JsonElement Data)> resumed = await Raw.FeedAsync(server, "notes", TestServer.ClientId, 1, after: 1);

        using JsonDocument results = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(30, results.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(1, server.Count("changes WHERE key = 'big'"));
        (string type, JsonElement data) = Assert.Single(resumed);
        Assert.Equal(("changed", "31"), (type, data.GetProperty("version").GetString()));
        Assert.Equal("r29", data.GetProperty("data").GetProperty("relatedIds")[0].GetString());
    }

    [Fact] // a page ends at MaxPageBytes (hasMore true), every row is listed once, and the answer is streamed
    public async Task LargeList_PagesEndAtTheByteBudget_EveryRowListedOnce_AnswerStreamed()
    {
        const int pageBytes = 64 * 1024;
        await using TestServer server = await TestServer.StartAsync(o => o.MaxPageBytes = pageBytes);
        var m = new Mutations();
        string name = new('n', 10 * 1024);
        for (int start = 0; start < 40; start += 10)
        {
            Assert.Equal(10, (await server.Transport.PushAsync([.. Enumerable.Range(start, 10).Select(i => m.Create(new Folder { Id = $"f{i:D2}", Name = name }))], default)).Count);
        }

        var keys = new List<string>();
        string? after = null;
        int pages = 0;
        while (true)
        {
            using HttpRequestMessage request = Raw.Request(HttpMethod.Get, "sync/folders?limit=1000" + (after is null ? "" : "&after=" + after), TestServer.ClientId);
            using HttpResponseMessage response = await server.Http.SendAsync(request);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            pages++;
            Assert.True(response.Headers.TransferEncodingChunked); // written as it was produced, in chunks
            Assert.True(body.Length < pageBytes + (12 * 1024), $"page {pages} has {body.Length} bytes"); // the budget, and the row that crossed it
            using JsonDocument page = JsonDocument.Parse(body);
            keys.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(static i => i.GetProperty("key").GetString()!));
            if (!page.RootElement.GetProperty("hasMore").GetBoolean())
            {
                break;
            }

            after = keys[^1];
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(static i => $"f{i:D2}"), keys);
        Assert.InRange(pages, 6, 8); // about six rows of 10 KiB a page
        Assert.Equal(40, (await Results.ListAllAsync(server.Transport, "folders")).Count); // the client pages through it
    }

    [Fact] // S15: a fresh feed's snapshot in pages: every row once, in order of its last change, then live changes
    public async Task FreshFeedOfALargeResource_SnapshotInPages_EveryRowOnceInOrder_ThenLive()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxPageBytes = 16 * 1024);
        var m = new Mutations();
        string name = new('n', 2 * 1024);
        Assert.Equal(50, (await server.Transport.PushAsync([.. Enumerable.Range(0, 50).Select(i => m.Create(new Folder { Id = $"f{i:D2}", Name = name }))], default)).Count);

        await using var feed = new FeedReader(server.Transport, "folders", 0);
        List<ChangeEvent> snapshot = await feed.TakeAsync(50);
        Results.Single(await server.Transport.PushAsync([m.Update<Folder>("f07", new FolderPatch { Name = "live" })], default));
        ChangeEvent live = Assert.Single(await feed.TakeAsync(1));

        Assert.All(snapshot, static e => Assert.Equal(ChangeKind.Existing, e.Kind));
        Assert.Equal(Enumerable.Range(0, 50).Select(static i => $"f{i:D2}"), snapshot.Select(static e => e.Key));
        Assert.Equal(Enumerable.Range(1, 50).Select(static i => (long)i), snapshot.Select(static e => e.Sequence));
        Assert.Equal((ChangeKind.Changed, "f07", 51L), (live.Kind, live.Key, live.Sequence));
    }

    [Fact] // feeds whose clients stop reading hold no read transaction (SQLite) and no connection (PostgreSQL)
    public async Task FeedsNotRead_HoldNothingOfTheStore_WhileWritesGoOn()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        string name = new('s', 8 * 1024);
        for (int start = 0; start < 1_000; start += 200)
        {
            Assert.Equal(200, (await server.Transport.PushAsync([.. Enumerable.Range(start, 200).Select(i => m.Create(new Folder { Id = $"f{i:D4}", Name = name }))], default)).Count);
        }

        // 8 MB of snapshot each: more than the connection buffers, so each feed waits on its client mid-snapshot.
        var stalled = new List<System.Net.Sockets.TcpClient>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                (System.Net.Sockets.TcpClient connection, string head) = await Raw.OpenUnreadFeedAsync(server, "folders", $"slow-{i}");
                stalled.Add(connection);
                Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
            }

            for (int round = 0; round < 5; round++)
            {
                Assert.Equal(20, (await server.Transport.PushAsync([.. Enumerable.Range(0, 20).Select(i => m.Update<Folder>($"f{(round * 20) + i:D4}", new FolderPatch { Name = $"{round}{name}" }))], default)).Count);
            }

            await Eventually.TrueAsync(() => server.HeldByReaders() == 0, "the stalled feeds hold nothing of the store");
        }
        finally
        {
            stalled.ForEach(static c => c.Dispose());
        }
    }

    [Fact] // one client may not open more than MaxFeedsPerClient feeds, nor all clients more than MaxFeeds: 503 with Retry-After
    public async Task FeedsOverTheCaps_503TooManyFeeds_WithRetryAfter_UntilOneCloses()
    {
        await using TestServer server = await TestServer.StartAsync(o =>
        {
            o.MaxFeedsPerClient = 2;
            o.MaxFeeds = 3;
            o.HeartbeatInterval = TimeSpan.FromSeconds(7);
        });
        var open = new List<System.Net.Sockets.TcpClient>();
        try
        {
            open.Add(await AcceptedFeedAsync(server, "a"));
            open.Add(await AcceptedFeedAsync(server, "a"));
            using HttpResponseMessage thirdOfA = await FeedRequestAsync(server, "a");
            open.Add(await AcceptedFeedAsync(server, "b"));
            using HttpResponseMessage firstOfC = await FeedRequestAsync(server, "c");

            foreach (HttpResponseMessage refused in new[] { thirdOfA, firstOfC })
            {
                string detail = await Raw.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "too_many_feeds");
                Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
                Assert.Contains(refused == thirdOfA ? "MaxFeedsPerClient" : "MaxFeeds", detail, StringComparison.Ordinal);
            }

            open[0].Dispose(); // a feed of a that ends frees a place for a
            await Eventually.TrueAsync(async () =>
            {
                (System.Net.Sockets.TcpClient connection, string head) = await Raw.OpenUnreadFeedAsync(server, "folders", "a");
                open.Add(connection);
                return head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
            }, "a's third feed is accepted once its first has closed");
        }
        finally
        {
            open.ForEach(static c => c.Dispose());
        }
    }

    [Fact]
    public async Task ProtocolJson_UsesTheSharedNames()
    {
        await using TestServer server = await TestServer.StartAsync();
        Results.Single(await server.Transport.PushAsync([new Mutations().Create(new Folder { Id = "f", Name = "x" })], default));

        using HttpRequestMessage request = Raw.Request(HttpMethod.Get, $"{SyncRoutes.Root}/folders?{SyncRoutes.Limit}=1", TestServer.ClientId);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal([SyncFieldNames.Items, SyncFieldNames.Sequence, SyncFieldNames.HasMore], page.RootElement.EnumerateObject().Select(static p => p.Name));
        Assert.Equal([SyncFieldNames.Key, SyncFieldNames.Version, SyncFieldNames.Data], page.RootElement.GetProperty(SyncFieldNames.Items)[0].EnumerateObject().Select(static p => p.Name));
    }

    private static async Task<System.Net.Sockets.TcpClient> AcceptedFeedAsync(TestServer server, string clientId)
    {
        (System.Net.Sockets.TcpClient connection, string head) = await Raw.OpenUnreadFeedAsync(server, "folders", clientId);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        return connection;
    }

    private static Task<HttpResponseMessage> FeedRequestAsync(TestServer server, string clientId)
    {
        HttpRequestMessage request = Raw.Request(HttpMethod.Get, "sync/folders/events", clientId);
        return server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>A batch of <paramref name="count"/> updates of the row <c>big</c>, each with its idempotency key, as a client sends it.</summary>
    private static string Batch(int count, Func<int, string> patch, string resource = "folders") =>
        "{\"mutations\":[" + string.Join(',', Enumerable.Range(0, count).Select(i =>
            $"{{\"resource\":\"{resource}\",\"kind\":\"update\",\"key\":\"big\",\"idempotencyKey\":\"{resource}:update:big:{TestServer.ClientId}:{100 + i}\",\"clientId\":\"{TestServer.ClientId}\",\"data\":{patch(i)}}}")) + "]}";

    /// <summary>A JSON string as an attacker writes it: only <c>"</c> and <c>\</c> escaped.</summary>
    private static string Escaped(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
