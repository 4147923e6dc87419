using System.Net.Http.Headers;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class FeedTests
{
    [Fact]
    public async Task FreshStart_SendsExistingThenLiveAddedChangedRemoved()
    {
        // S15
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        string optimistic = OptimisticKeys.NewString();
        PushResult.Applied first = Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = optimistic, Title = "one" })], default));
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "other-resource", Name = "x" })], default));

        await using var feed = new FeedReader(server.Transport, "notes", 0);
        ChangeEvent existing = Assert.Single(await feed.TakeAsync(1));
        Assert.Equal((ChangeKind.Existing, first.ServerKey, optimistic, "1"), (existing.Kind, existing.Key, existing.OriginOptimisticKey, existing.Version));
        Assert.Equal("one", Results.Read<Note>(existing.Data).Title);

        // Each change is read before the next is made: the log keeps a row's last change only, so a reader that came
        // later would read the create and the update of the second row as one `changed`.
        var live = new List<ChangeEvent>();
        string secondOptimistic = OptimisticKeys.NewString();
        PushResult.Applied second = Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = secondOptimistic, Title = "two" })], default));
        live.AddRange(await feed.TakeAsync(1));
        Results.Single(await server.Transport.PushAsync([m.Update(second.ServerKey, new NotePatch { Title = "two!" }, second.Version)], default));
        live.AddRange(await feed.TakeAsync(1));
        Results.Single(await server.Transport.PushAsync([m.Delete<Note>(first.ServerKey)], default));
        live.AddRange(await feed.TakeAsync(1));

        Assert.Equal([ChangeKind.Added, ChangeKind.Changed, ChangeKind.Removed], live.Select(e => e.Kind));
        Assert.Equal([second.ServerKey, second.ServerKey, first.ServerKey], live.Select(e => e.Key));
        Assert.All(live.Take(2), e => Assert.Equal(secondOptimistic, e.OriginOptimisticKey)); // S15: every event of the row
        Assert.Equal(optimistic, live[2].OriginOptimisticKey);
        Assert.Equal("two!", Results.Read<Note>(live[1].Data).Title);
        Assert.True(live[2].Data.IsEmpty);
        Assert.True(live.Zip(live.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
    }

    [Fact]
    public async Task Resume_FromLastEventId_EveryRowChangedSince_NoGapsNoDuplicates()
    {
        // S15: the client resumes from its last sequence and gets every row changed since, each once, as it is now.
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        long lastSeen;
        await using (var feed = new FeedReader(server.Transport, "folders", 0))
        {
            Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "a", Name = "a" })], default));
            Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "z", Name = "z" })], default));
            lastSeen = (await feed.TakeAsync(2))[^1].Sequence;
        }

        // Changes made while the client is away: five of one row, one each of three others.
        for (int i = 0; i < 5; i++)
        {
            Results.Single(await server.Transport.PushAsync([m.Update<Folder>("a", new FolderPatch { Name = $"a{i}" })], default));
        }

        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "c", Name = "c" })], default));
        Results.Single(await server.Transport.PushAsync([m.Delete<Folder>("z")], default));

        await using var resumed = new FeedReader(server.Transport, "folders", lastSeen);
        List<ChangeEvent> caughtUp = await resumed.TakeAsync(3);
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "b", Name = "b" })], default));
        ChangeEvent live = Assert.Single(await resumed.TakeAsync(1));

        Assert.Equal([("a", ChangeKind.Changed, lastSeen + 5), ("c", ChangeKind.Added, lastSeen + 6), ("z", ChangeKind.Removed, lastSeen + 7)], caughtUp.Select(e => (e.Key, e.Kind, e.Sequence)));
        Assert.Equal(("a4", "6"), (Results.Read<Folder>(caughtUp[0].Data).Name, caughtUp[0].Version));
        Assert.Equal(("b", lastSeen + 8), (live.Key, live.Sequence));
        Assert.False(await resumed.AnyWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Resume_PastRetention_SendsInvalidateThenFollows()
    {
        // S19: a gap past the server's retention is announced with invalidate.
        await using TestServer server = await TestServer.StartAsync(o => o.MaxRetainedChanges = 3);
        var m = new Mutations();
        for (int i = 0; i < 10; i++)
        {
            Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = $"f{i}", Name = "x" })], default));
        }

        await using var feed = new FeedReader(server.Transport, "folders", 2);
        ChangeEvent invalidate = Assert.Single(await feed.TakeAsync(1));
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "late", Name = "x" })], default));
        ChangeEvent next = Assert.Single(await feed.TakeAsync(1));

        Assert.Equal((ChangeKind.Invalidate, 10L, null), (invalidate.Kind, invalidate.Sequence, invalidate.Key));
        Assert.Equal((ChangeKind.Added, "late", 11L), (next.Kind, next.Key, next.Sequence));
    }

    [Fact]
    public async Task LiveFeed_OvertakenByRetention_SendsInvalidateThenFollows()
    {
        // S19 mid-stream: one commit appends more changes than are retained; a connected reader cannot be caught up by events.
        await using TestServer server = await TestServer.StartAsync(o => o.MaxRetainedChanges = 3);
        var m = new Mutations();
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "first", Name = "x" })], default));
        await using var feed = new FeedReader(server.Transport, "folders", 0);
        Assert.Equal(ChangeKind.Existing, Assert.Single(await feed.TakeAsync(1)).Kind);

        IReadOnlyList<PushResult> batch = await server.Transport.PushAsync(Enumerable.Range(0, 10).Select(i => m.Create(new Folder { Id = $"f{i}", Name = "x" })).ToArray(), default);
        Assert.Equal(10, batch.Count);
        ChangeEvent invalidate = Assert.Single(await feed.TakeAsync(1));
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "late", Name = "x" })], default));
        ChangeEvent next = Assert.Single(await feed.TakeAsync(1));

        Assert.Equal((ChangeKind.Invalidate, 11L), (invalidate.Kind, invalidate.Sequence));
        Assert.Equal((ChangeKind.Added, "late", 12L), (next.Kind, next.Key, next.Sequence));
    }

    [Fact]
    public async Task Resume_WithinRetention_NoInvalidate()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxRetainedChanges = 3);
        var m = new Mutations();
        for (int i = 0; i < 10; i++)
        {
            Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = $"f{i}", Name = "x" })], default));
        }

        await using var feed = new FeedReader(server.Transport, "folders", 8);

        Assert.Equal([(ChangeKind.Added, 9L), (ChangeKind.Added, 10L)], (await feed.TakeAsync(2)).Select(e => (e.Kind, e.Sequence)));
    }

    [Fact]
    public async Task Resume_AfterTheHead_SendsInvalidate()
    {
        // A position from another database (the server's file was replaced) cannot be trusted.
        await using TestServer server = await TestServer.StartAsync();

        await using var feed = new FeedReader(server.Transport, "folders", 500);

        Assert.Equal(ChangeKind.Invalidate, Assert.Single(await feed.TakeAsync(1)).Kind);
    }

    [Fact]
    public async Task Snapshot_OrderedBySequence_CutOffClientResumesWithoutGap()
    {
        // existing events carry each row's last change sequence: a client cut off mid-snapshot resumes from it.
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        for (int i = 0; i < 4; i++)
        {
            Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = $"f{i}", Name = "x" })], default));
        }

        Results.Single(await server.Transport.PushAsync([m.Update<Folder>("f0", new FolderPatch { Name = "changed" })], default));
        List<ChangeEvent> snapshot;
        await using (var feed = new FeedReader(server.Transport, "folders", 0))
        {
            snapshot = await feed.TakeAsync(4);
        }

        Assert.Equal(["f1", "f2", "f3", "f0"], snapshot.Select(e => e.Key));
        Assert.Equal([2L, 3L, 4L, 5L], snapshot.Select(e => e.Sequence));

        await using var resumed = new FeedReader(server.Transport, "folders", snapshot[1].Sequence);
        Assert.Equal(["f3", "f0"], (await resumed.TakeAsync(2)).Select(e => e.Key));
    }

    [Fact]
    public async Task IdleFeed_SendsHeartbeatComments()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(100));
        using var request = new HttpRequestMessage(HttpMethod.Get, "sync/folders/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using HttpResponseMessage response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        var received = new System.Text.StringBuilder();
        byte[] buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!received.ToString().Contains(": heartbeat\n\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ServerStop_EndsOpenFeedPromptly()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using var feed = new FeedReader(server.Transport, "folders", 0);
        await Task.Delay(100);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        await server.Host.StopAsync();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"Stopping took {stopwatch.Elapsed}.");
        await feed.EndAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task UnknownResourceFeed_ThrowsHttpRequestExceptionWithStatus()
    {
        await using TestServer server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChangeEvent _ in server.Transport.FollowAsync("nothing-here", 0, "client-a", default))
            {
            }
        });

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }
}
