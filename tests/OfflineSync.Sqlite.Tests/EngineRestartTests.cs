using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S4 across a restart (issue 4: "restart from SQLite with pending mutations and mappings (new engine
/// instance, same file) continues exactly where it stopped"): a client works offline, part of its
/// queue is confirmed, it is disposed; a new client on the same file carries on.
/// </summary>
public sealed class EngineRestartTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ScriptedTransport _server = new();

    // Backoff timers never fire by themselves: the test decides when a retry happens.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<TestSync> _clients = [];
    private Durability _durability;

    public async ValueTask DisposeAsync()
    {
        foreach (TestSync client in _clients)
        {
            await client.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Theory]
    [InlineData(Durability.Full)]
    [InlineData(Durability.Batched)] // A clean dispose commits the open batch and gives back the reservations.
    public async Task Restart_WithPendingMutationsAndMappings_ContinuesExactlyWhereItStopped(Durability durability)
    {
        // S3, S4, S5, S12, S13
        string path = _folder.File();
        _durability = durability;
        var network = new Network();

        // First run: everything made offline, then a sync the server answers only in part.
        TestSync first = Open(path, network);
        Category work = first.Categories.Create(new Category { Name = "work" });
        Todo todo = first.Todos.Create(new Todo { Title = "write", CategoryId = work.Id });
        Project alpha = first.Projects.Create(new Project { Name = "alpha" });
        Project beta = first.Projects.Create(new Project { Name = "beta" });
        string attachment = Guid.CreateVersion7(_time.GetUtcNow()).ToString();
        first.Attachments.Create(new Attachment { Id = Guid.Parse(attachment), FileName = "a.png", TodoId = todo.Id, ProjectId = alpha.Id, RelatedProjects = [alpha.Id, beta.Id] });
        Category home = first.Categories.Create(new Category { Name = "home" });

        // References a category queued after the todo's create, so it stays a mutation of its own (S5, S6).
        first.Todos.Update(todo.Id, new TodoPatch { CategoryId = home.Id, Completed = true }, idempotencyKey: "tick");
        Assert.Equal([-1L, -2L], [alpha.Id, beta.Id]);

        _server.Then(static m => m.Resource == "projects" ? new PushResult.Transient("503 Service Unavailable", null) : null);
        network.Set(true);
        await first.SyncAsync();

        // The first category and the todo are confirmed; the head (alpha) waits on its backoff.
        Assert.True(first.IdMap.TryResolve<Category>(work.Id, out string? workKey));
        Assert.True(first.IdMap.TryResolve<Todo>(todo.Id, out string? todoKey));
        IReadOnlyList<PendingMutation> pendingBefore = first.GetPending();
        Assert.Equal(
            [
                ("projects", MutationKind.Create, "-1"),
                ("projects", MutationKind.Create, "-2"),
                ("attachments", MutationKind.Create, attachment),
                ("categories", MutationKind.Create, home.Id),
                ("todos", MutationKind.Update, todoKey),
            ],
            pendingBefore.Select(static p => (p.Resource, p.Kind, p.Key)));
        Assert.Equal((MutationStatus.Failed, 1), (pendingBefore[0].Status, pendingBefore[0].Attempts));
        string alphaIdempotency = _server.Sent.First(static m => m.Resource == "projects" && m.Key == "-1").IdempotencyKey;
        network.Set(false);
        await first.DisposeAsync();
        string clientId = (string)StoreFiles.Scalar(path, "SELECT client_id FROM client_meta")!;

        // Second run, same file, still offline: the optimistic items are there at once, their references remapped.
        TestSync second = Open(path, network);

        Assert.Equal(pendingBefore, second.GetPending());
        Assert.Equal([-2L, -1L], second.Projects.Items.Select(static p => p.Id).Order());
        Assert.True(second.Categories.TryGet(home.Id, out _));
        Assert.True(second.Attachments.TryGet(attachment, out Attachment? shownAttachment));
        Assert.Equal((todoKey, (long?)-1L), (shownAttachment.TodoId, shownAttachment.ProjectId));
        Assert.True(second.IdMap.TryResolve<Todo>(todo.Id, out string? resolvedTodo) && resolvedTodo == todoKey);
        Assert.True(second.IdMap.TryResolve<Category>(work.Id, out string? resolvedWork) && resolvedWork == workKey);
        Assert.False(second.IdMap.TryResolve<Project, long>(alpha.Id, out _));

        // Numeric optimistic keys go on from the stored counter (S2); sequences are never handed out twice.
        Project gamma = second.Projects.Create(new Project { Name = "gamma" });
        Assert.Equal(-3, gamma.Id);
        Assert.True(second.GetPending()[^1].Id > pendingBefore.Max(static p => p.Id), "A sequence of the first run was handed out again.");

        // Online the confirmed rows come from the server; the pending update shows on top (S17) and the
        // optimistic key still finds the item (S3). The first run's app key still dedupes (S6).
        network.Set(true);
        Todo shownTodo = await WaitForAsync(second, todo.Id);
        Assert.Equal((todoKey, home.Id, true), (shownTodo.Id, shownTodo.CategoryId, shownTodo.Completed));
        second.Todos.Update(todo.Id, new TodoPatch { Completed = false }, idempotencyKey: "tick");
        Assert.True(second.Todos.TryGet(todoKey!, out Todo? stillTicked) && stillTicked.Completed);

        // The rest is sent in queue order, with the first run's idempotency keys and every reference remapped.
        await SyncUntilEmptyAsync(second);

        Assert.Empty(_server.Violations); // No optimistic key sent after its mapping, none before its create (S3, S5).
        Assert.Equal(
            [("projects", "-1"), ("projects", "-2"), ("attachments", attachment), ("categories", home.Id), ("todos", todoKey), ("projects", "-3")],
            _server.Applied.Skip(2).Select(static m => (m.Resource, m.Key)));
        Assert.Equal(alphaIdempotency, _server.Applied[2].IdempotencyKey);
        Assert.All(_server.Sent, m => Assert.Contains($":{clientId}:", m.IdempotencyKey, StringComparison.Ordinal));
        Assert.True(second.IdMap.TryResolve<Project, long>(alpha.Id, out long alphaKey));
        Assert.True(second.IdMap.TryResolve<Project, long>(beta.Id, out long betaKey));
        Assert.True(second.IdMap.TryResolve<Category>(home.Id, out string? homeKey));
        JsonObject attachmentRow = _server.RowOf("attachments", attachment)!;
        Assert.Equal(todoKey, (string?)attachmentRow["todoId"]);
        Assert.Equal(alphaKey, (long?)attachmentRow["projectId"]);
        Assert.Equal([alphaKey, betaKey], attachmentRow["relatedProjects"]!.AsArray().Select(static n => (long)n!));
        JsonObject todoRow = _server.RowOf("todos", todoKey!)!;
        Assert.Equal((homeKey, true), ((string?)todoRow["categoryId"], (bool?)todoRow["completed"]));
        Assert.Single(_server.Applied, static m => m.Resource == "todos" && m.Kind == MutationKind.Create);
        Assert.Equal(0, second.PendingCount);
        await second.DisposeAsync(); // Batched: commits the last completions.
        Assert.Equal(0L, StoreFiles.Scalar(path, "SELECT count(*) FROM mutations"));
        Assert.Equal(6L, StoreFiles.Scalar(path, "SELECT count(*) FROM id_map")); // Two categories, the todo, three projects.
    }

    private TestSync Open(string path, INetworkMonitor network)
    {
        var client = new TestSync(new SyncOptions
        {
            Transport = _server,
            Store = SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = _durability }),
            TimeProvider = _time,
            AutoSync = false,
            NetworkMonitor = network,

            // One mutation per push: every reference the server receives was remapped by the client
            // from the stored mappings, none resolved by the server within a batch.
            BatchSize = 1,
        });
        _clients.Add(client);
        return client;
    }

    private static async Task<Todo> WaitForAsync(TestSync client, string key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Todo? shown;
        while (!client.Todos.TryGet(key, out shown))
        {
            await Task.Delay(1, timeout.Token);
        }

        return shown;
    }

    private static async Task SyncUntilEmptyAsync(TestSync client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.SyncAsync(timeout.Token);
        while (client.PendingCount > 0)
        {
            client.RetryNow(); // The first run's transient failure left the head on a backoff timer.
            await client.SyncAsync(timeout.Token);
            await Task.Delay(1, timeout.Token);
        }
    }

    private sealed class Network : INetworkMonitor
    {
        private bool _online;

        public event Action<bool>? OnlineChanged;

        public bool IsOnline => Volatile.Read(ref _online);

        public void Set(bool online)
        {
            Volatile.Write(ref _online, online);
            OnlineChanged?.Invoke(online);
        }
    }
}
