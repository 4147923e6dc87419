using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.Http;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

/// <summary>
/// Issue 14, the feed resumes: a client that missed N changes gets exactly those N on reconnect — after going offline,
/// after a dropped connection, after a restart — with no list request; only a position past the server's retention
/// costs a list again (S15, S19). The server records every request it receives; the reader counts the events it reads.
/// </summary>
public sealed class FeedResumeCostTests : IAsyncLifetime
{
    private const string Writer = "writer";
    private const string Reader = "reader";
    private const string Todos = "todos";
    private const int Missed = 10;

    private readonly List<IAsyncDisposable> _owned = [];
    private RecordingServer _server = null!;

    public Task InitializeAsync() => StartServerAsync();

    public async Task DisposeAsync()
    {
        foreach (IAsyncDisposable owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact] // S15, S8: offline for ten changes, online again: exactly those ten events, no list
    public async Task OfflineForTenChanges_OnlineAgain_ReceivesExactlyThoseTen_AndListsNothing()
    {
        TodoSync writer = Client(Writer);
        var traffic = new TrafficCounter();
        TodoSync reader = Client(Reader, traffic);
        await SeedAsync(writer, reader);

        reader.SetOnline(false);
        await Eventually.TrueAsync(() => reader.Todos.Status == SyncSetStatus.Offline, "the reader's feed stopped");
        long head = await HeadAsync();
        int seen = _server.Requests.Count;
        long events = traffic.Events;
        await MakeTenChangesAsync(writer);

        reader.SetOnline(true);
        await ViewEqualsServerAsync(reader);

        IReadOnlyList<SeenRequest> requests = _server.RequestsOf(Reader, seen);
        Assert.DoesNotContain(requests, static r => r.IsList(Todos));
        SeenRequest resume = Assert.Single(requests, static r => r.IsFeed(Todos));
        Assert.Equal(head.ToString(System.Globalization.CultureInfo.InvariantCulture), resume.LastEventId);
        Assert.Equal(Missed, traffic.Events - events);
    }

    [Fact] // S15, F4: connections cut under the reader: it resumes where it was, without a list
    public async Task DroppedConnections_ResumeFromTheLastSequence_AndListNothing()
    {
        TodoSync writer = Client(Writer);
        var traffic = new TrafficCounter();
        var proxy = new LoopbackProxy(_server.Address);
        _owned.Add(proxy);
        TodoSync reader = Client(Reader, traffic, through: proxy.Address);
        await SeedAsync(writer, reader);
        int seen = _server.Requests.Count;
        long events = traffic.Events;

        // Cut while nothing is in flight, so no event is counted twice (once cut short, once resumed).
        proxy.CutAllConnections();
        await MakeTenChangesAsync(writer);
        await ViewEqualsServerAsync(reader);

        IReadOnlyList<SeenRequest> requests = _server.RequestsOf(Reader, seen);
        Assert.DoesNotContain(requests, static r => r.IsList(Todos));
        Assert.All(requests.Where(static r => r.IsFeed(Todos)), static r => Assert.NotNull(r.LastEventId));
        Assert.Equal(Missed, traffic.Events - events);
    }

    [Fact] // S15, S4: a restarted client shows its rows at once, offline, and resumes the feed after them
    public async Task Restart_ShowsTheKeptRowsOffline_ThenResumesWithExactlyTheMissedChanges()
    {
        TodoSync writer = Client(Writer);
        TodoSync first = Client(Reader);
        await SeedAsync(writer, first);
        await first.DisposeAsync();
        _owned.Remove(first);
        long head = await HeadAsync();
        await MakeTenChangesAsync(writer);
        int seen = _server.Requests.Count;

        var traffic = new TrafficCounter();
        TodoSync restarted = Client(Reader, traffic, online: false);
        Assert.Equal(30, restarted.Todos.Items.Count); // from the store, before any request
        Assert.Empty(_server.RequestsOf(Reader, seen));

        restarted.SetOnline(true);
        await ViewEqualsServerAsync(restarted);

        IReadOnlyList<SeenRequest> requests = _server.RequestsOf(Reader, seen);
        Assert.DoesNotContain(requests, static r => r.IsList(Todos));
        SeenRequest resume = Assert.Single(requests, static r => r.IsFeed(Todos));
        Assert.Equal(head.ToString(System.Globalization.CultureInfo.InvariantCulture), resume.LastEventId);
        Assert.Equal(Missed, traffic.Events);
    }

    [Fact] // S19: away past the server's retention: the resume is invalidated and the client lists again
    public async Task AwayPastTheServersRetention_ListsAgain_AndItsViewEqualsTheServer()
    {
        await _server.DisposeAsync();
        await StartServerAsync(options => options.MaxRetainedChanges = 3);
        TodoSync writer = Client(Writer);
        TodoSync reader = Client(Reader);
        await SeedAsync(writer, reader);

        reader.SetOnline(false);
        await Eventually.TrueAsync(() => reader.Todos.Status == SyncSetStatus.Offline, "the reader's feed stopped");
        int seen = _server.Requests.Count;
        await MakeTenChangesAsync(writer);

        reader.SetOnline(true);
        await ViewEqualsServerAsync(reader);

        IReadOnlyList<SeenRequest> requests = _server.RequestsOf(Reader, seen);
        Assert.NotNull(Assert.Single(requests, static r => r.IsFeed(Todos) && r.LastEventId is not null).LastEventId);
        Assert.Contains(requests, static r => r.IsList(Todos));
    }

    private async Task StartServerAsync(Action<OfflineSync.Server.SyncServerOptions>? configure = null) =>
        _server = await RecordingServer.StartAsync(configure);

    /// <summary>A client with its own SQLite queue and checkpoints (named after it, so a second one with the name is a restart).</summary>
    private TodoSync Client(string name, TrafficCounter? traffic = null, Uri? through = null, bool online = true)
    {
        var http = new HttpClient(traffic ?? new TrafficCounter()) { BaseAddress = through ?? _server.Address, Timeout = TimeSpan.FromSeconds(30) };
        var options = new SyncOptions
        {
            Transport = new HttpSyncTransport(http),
            Store = SqliteMutationStore.Open(Path.Combine(_server.Directory, name + ".db")),
            ClientId = name,
            NetworkMonitor = online ? null : new StartsOffline(),
        };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        var client = new TodoSync(options);
        _owned.Add(client);
        return client;
    }

    /// <summary>Thirty todos, seen live by the reader.</summary>
    private static async Task SeedAsync(TodoSync writer, TodoSync reader)
    {
        for (int i = 0; i < 30; i++)
        {
            writer.Todos.Create(new Todo { Title = $"todo {i}" });
        }

        await writer.SyncAsync();
        await Eventually.TrueAsync(() => reader.Todos.Items.Count == 30 && reader.Todos.Status == SyncSetStatus.Live, "the reader sees the thirty todos");
    }

    /// <summary>Four creates, three updates and three deletes of other rows: ten changes in the server's log.</summary>
    private static async Task MakeTenChangesAsync(TodoSync writer)
    {
        string[] existing = writer.Todos.Items.Select(static t => t.Id).ToArray();
        for (int i = 0; i < 4; i++)
        {
            writer.Todos.Create(new Todo { Title = $"missed {i}" });
        }

        for (int i = 0; i < 3; i++)
        {
            writer.Todos.Update(existing[i], new TodoPatch { Title = $"changed {i}", Completed = true });
        }

        for (int i = 3; i < 6; i++)
        {
            writer.Todos.Delete(existing[i]);
        }

        await writer.SyncAsync();
        Assert.Equal(0, writer.PendingCount);
    }

    private async Task<long> HeadAsync()
    {
        using var observer = new HttpSyncTransport(_server.Address);
        return (await observer.ListAsync(Todos, null, 1, "observer", CancellationToken.None)).Sequence;
    }

    private async Task ViewEqualsServerAsync(TodoSync client)
    {
        using var observer = new HttpSyncTransport(_server.Address);
        var rows = new List<Todo>();
        string? after = null;
        while (true)
        {
            ListPage page = await observer.ListAsync(Todos, after, 500, "observer", CancellationToken.None);
            rows.AddRange(page.Items.Select(static item => SyncJson.Deserialize<Todo>(item.Data.Span)));
            if (!page.HasMore || page.Items.Count == 0)
            {
                break;
            }

            after = page.Items[^1].Key;
        }

        string expected = Describe(rows);
        await Eventually.TrueAsync(() => Describe(client.Todos.Items) == expected, "the client's view equals the server's rows");
    }

    private static string Describe(IEnumerable<Todo> todos) =>
        string.Join("\n", todos.OrderBy(static t => t.Id, StringComparer.Ordinal).Select(static t => $"{t.Id}|{t.Title}|{t.Completed}"));
}
