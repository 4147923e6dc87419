using Microsoft.Extensions.DependencyInjection;
using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.Http;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

/// <summary>
/// Issue 12, the client over real Kestrel with JwtBearer and locally signed tokens: a token that expires while the
/// queue drains is refreshed and nothing is lost; a refresh that fails leaves the queue as it was and the client
/// Unauthorized until the user signs in again. The token comes from the transport's option or from a
/// <see cref="SyncTokenHandler"/> in an <c>IHttpClientFactory</c> client; both behave the same.
/// </summary>
public sealed class TokenExpiryTests : IAsyncLifetime
{
    private const int Todos = 30;
    private readonly List<IAsyncDisposable> _owned = [];
    private JwtSyncServer _server = null!;

    public async Task InitializeAsync() => _server = await JwtSyncServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (IAsyncDisposable owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(TokenPath.TransportOption)]
    [InlineData(TokenPath.HttpClientFactoryHandler)]
    public async Task TokenExpiresMidDrain_IsRefreshedOnce_AndEveryMutationArrivesOnce(TokenPath path)
    {
        // S4, S9: the refused batch is sent again with the new token; nothing fails, nothing is sent twice.
        var tokens = new SessionTokens(_server, "alice");
        TodoSync alice = CreateClient("alice", tokens, path);
        var (statuses, failed) = Watch(alice);
        QueueTodos(alice);

        _server.ExpireEveryTokenWhenBatchArrives(3);
        alice.SetOnline(true);
        await alice.SyncAsync();

        Assert.Equal(0, alice.PendingCount);
        Assert.Empty(failed);
        Assert.DoesNotContain(SyncStatus.Unauthorized, Snapshot(statuses));
        Assert.Equal(1, _server.RefusedBatches);
        Assert.InRange(tokens.Refreshes, 1, 5); // the drain's, and the feeds' that reconnected with the old token
        await AssertServerHoldsEachTodoOnceAsync();
        await Eventually.TrueAsync(() => alice.Todos.Items.Count == Todos && alice.Todos.Items.All(static t => !t.Id.StartsWith("optimistic_", StringComparison.Ordinal)), "alice's view shows the server's rows");
    }

    [Theory]
    [InlineData(TokenPath.TransportOption)]
    [InlineData(TokenPath.HttpClientFactoryHandler)]
    public async Task RefreshFails_QueueStaysIntactAndUnauthorized_UntilTheUserSignsInAgain(TokenPath path)
    {
        // S9: a refused credential fails nothing and costs no attempt; the app's signal resumes the drain and the feeds.
        var tokens = new SessionTokens(_server, "alice") { RefreshFails = true };
        TodoSync alice = CreateClient("alice", tokens, path);
        var (statuses, failed) = Watch(alice);
        QueueTodos(alice);
        _server.ExpireEveryTokenWhenBatchArrives(3);

        alice.SetOnline(true);
        await Eventually.TrueAsync(() => alice.Status == SyncStatus.Unauthorized, "alice waits for credentials");
        await alice.SyncAsync();

        Assert.Equal(Todos - 10, alice.PendingCount);
        Assert.All(alice.GetPending(), static p => Assert.Equal((MutationStatus.Pending, 0, (FailureReason?)null), (p.Status, p.Attempts, p.FailureReason)));
        Assert.Empty(failed);
        Assert.Equal(10, (await ServerTodosAsync()).Count);
        Assert.Equal(Todos, alice.Todos.Items.Count);

        tokens.SignIn();
        alice.NotifyCredentialsChanged();
        await alice.SyncAsync();

        Assert.Equal(0, alice.PendingCount);
        Assert.Empty(failed);
        await AssertServerHoldsEachTodoOnceAsync();
        await Eventually.TrueAsync(() => alice.Status == SyncStatus.Idle, "alice is idle");
        await Eventually.TrueAsync(() => alice.Todos.Status == SyncSetStatus.Live, "alice's todos follow the feed again");
        Assert.Contains(SyncStatus.Unauthorized, Snapshot(statuses));
    }

    [Fact]
    public async Task RefreshFails_ThenTheAppRestartsWithNewCredentials_TheQueueIsSentOnce()
    {
        // S4: waiting for credentials survives nothing but the queue; a restart sends it with the credentials it has.
        var tokens = new SessionTokens(_server, "alice") { RefreshFails = true };
        TodoSync alice = CreateClient("alice", tokens, TokenPath.TransportOption);
        QueueTodos(alice);
        _server.ExpireEveryTokenWhenBatchArrives(3);
        alice.SetOnline(true);
        await Eventually.TrueAsync(() => alice.Status == SyncStatus.Unauthorized, "alice waits for credentials");
        await alice.DisposeAsync();

        tokens.SignIn();
        TodoSync restarted = CreateClient("alice", tokens, TokenPath.TransportOption);
        Assert.Equal(Todos - 10, restarted.PendingCount);
        restarted.SetOnline(true);
        await restarted.SyncAsync();

        Assert.Equal(0, restarted.PendingCount);
        await AssertServerHoldsEachTodoOnceAsync();
    }

    [Fact]
    public async Task FeedRefusedAfterExpiry_SetShowsUnauthorized_ThenResumesAndCatchesUp()
    {
        // S15: the feed waits for credentials instead of failing, and brings what it missed once they are back.
        var aliceTokens = new SessionTokens(_server, "alice");
        TodoSync alice = CreateClient("alice", aliceTokens, TokenPath.TransportOption);
        TodoSync bob = CreateClient("bob", new SessionTokens(_server, "bob"), TokenPath.TransportOption);
        alice.SetOnline(true);
        bob.SetOnline(true);
        bob.Todos.Create(new Todo { Title = "before" });
        await bob.SyncAsync();
        await Eventually.TrueAsync(() => alice.Todos.Items.Any(static t => t.Title == "before"), "alice sees bob's first todo");

        _server.Clock.Advance(TimeSpan.FromHours(2));
        aliceTokens.RefreshFails = true;
        alice.SetOnline(false);
        alice.SetOnline(true);
        await Eventually.TrueAsync(() => alice.Todos.Status == SyncSetStatus.Unauthorized, "alice's todos wait for credentials");
        Assert.Equal(SyncStatus.Unauthorized, alice.Status);

        bob.Todos.Create(new Todo { Title = "while alice was signed out" });
        await bob.SyncAsync();
        Assert.Equal(0, bob.PendingCount);

        aliceTokens.SignIn();
        alice.NotifyCredentialsChanged();
        await Eventually.TrueAsync(() => alice.Todos.Items.Any(static t => t.Title == "while alice was signed out"), "alice's feed caught up");
        await Eventually.TrueAsync(() => alice.Todos.Status == SyncSetStatus.Live && alice.Status == SyncStatus.Idle, "alice is live and idle");
    }

    [Fact]
    public async Task WriteTheServerForbids_FailsThatMutationWith403_DependentsFail_IndependentOnesSync()
    {
        // S9: 403 is the row's or resource's rule, final for the mutation; the batch the server refused as a whole
        // is narrowed down until the refusal lands on the mutation it is about.
        TodoSync alice = CreateClient("alice", new SessionTokens(_server, "alice"), TokenPath.TransportOption);
        var (_, failed) = Watch(alice);
        Category category = alice.Categories.Create(new Category { Name = "company-wide" });
        alice.Todos.Create(new Todo { Title = "in it", CategoryId = category.Id });
        alice.Todos.Create(new Todo { Title = "independent" });

        alice.SetOnline(true);
        await alice.SyncAsync();

        MutationFailedEventArgs[] failures = Snapshot(failed);
        Assert.Equal(
            [("categories", FailureReason.Rejected), ("todos", FailureReason.DependencyFailed)],
            failures.Select(static f => (f.Mutation.Resource, f.Reason)));
        Assert.Contains("HTTP 403", failures[0].Error, StringComparison.Ordinal);
        Assert.Contains("access rules", failures[0].Error, StringComparison.Ordinal);
        Assert.Contains("which failed (Rejected): The server's access rules refused this mutation (HTTP 403 Forbidden)", failures[1].Error, StringComparison.Ordinal);
        Assert.Equal(["independent"], (await ServerTodosAsync()).Select(static t => t.Title));
        Assert.Equal(SyncStatus.Idle, alice.Status);
    }

    public enum TokenPath
    {
        TransportOption,
        HttpClientFactoryHandler,
    }

    private static void QueueTodos(TodoSync client)
    {
        for (int i = 0; i < Todos; i++)
        {
            client.Todos.Create(new Todo { Title = $"todo {i:00}" });
        }
    }

    private static (List<SyncStatus> Statuses, List<MutationFailedEventArgs> Failed) Watch(TodoSync client)
    {
        var statuses = new List<SyncStatus>();
        var failed = new List<MutationFailedEventArgs>();
        client.StatusChanged += e =>
        {
            lock (statuses)
            {
                statuses.Add(e.Current);
            }
        };
        client.MutationFailed += e =>
        {
            lock (failed)
            {
                failed.Add(e);
            }
        };
        return (statuses, failed);
    }

    private static T[] Snapshot<T>(List<T> list)
    {
        lock (list)
        {
            return list.ToArray();
        }
    }

    /// <summary>Creates a client, offline, with its own SQLite queue and small batches, whose token comes by <paramref name="path"/>.</summary>
    private TodoSync CreateClient(string name, SessionTokens tokens, TokenPath path)
    {
        void Configure(SyncOptions options)
        {
            options.Store = SqliteMutationStore.Open(Path.Combine(_server.Directory, name + ".db"));
            options.BatchSize = 5;
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        }

        TodoSync client;
        if (path == TokenPath.TransportOption)
        {
            var options = new SyncOptions { Transport = new HttpSyncTransport(_server.Address, new HttpSyncTransportOptions { TokenProvider = tokens }) };
            Configure(options);
            client = new TodoSync(options);
            _owned.Add(client);
        }
        else
        {
            var services = new ServiceCollection();
            services.AddOfflineSync(_server.Address, static options => new TodoSync(options), (_, options) => Configure(options))
                .AddSyncTokenHandler(_ => tokens);
            ServiceProvider provider = services.BuildServiceProvider();
            _owned.Add(provider);
            client = provider.GetRequiredService<TodoSync>();
        }

        client.SetOnline(false);
        return client;
    }

    private async Task<IReadOnlyList<Todo>> ServerTodosAsync()
    {
        using var observer = new HttpSyncTransport(_server.Address, new HttpSyncTransportOptions { TokenProvider = new SessionTokens(_server, "observer") });
        ListPage page = await observer.ListAsync("todos", null, 500, "e2e-observer", CancellationToken.None);
        return page.Items.Select(static item => SyncJson.Deserialize<Todo>(item.Data.Span)).ToArray();
    }

    private async Task AssertServerHoldsEachTodoOnceAsync()
    {
        IReadOnlyList<Todo> rows = await ServerTodosAsync();
        Assert.Equal(Enumerable.Range(0, Todos).Select(static i => $"todo {i:00}"), rows.Select(static t => t.Title).Order(StringComparer.Ordinal));
    }
}
