using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class RestartTests
{
    [Fact]
    public async Task NewEngineOnSameStore_ContinuesExactlyWhereTheOldOneStopped()
    {
        // S3, S4, S5, S9: pending mutations, attempts, mappings and counters survive; nothing is re-sent or reordered.
        var harness = new SyncHarness(o => o.BatchSize = 1);
        TestSync first = harness.Client;
        harness.Transport.Then(m => m.Resource == "todos" ? new PushResult.Transient("503 busy", null) : null);
        Category confirmed = first.Categories.Create(new Category { Name = "confirmed" });
        Todo failedOnce = first.Todos.Create(new Todo { Title = "failed once", CategoryId = confirmed.Id });
        await first.SyncAsync();
        Category pendingCategory = first.Categories.Create(new Category { Name = "pending" });
        Todo pendingTodo = first.Todos.Create(new Todo { Title = "pending", CategoryId = pendingCategory.Id });
        Project project = first.Projects.Create(new Project { Name = "p" });
        IReadOnlyList<PendingMutation> before = first.GetPending();
        string firstAttemptKey = harness.Transport.Sent[^1].IdempotencyKey;
        await harness.DisposeAsync();

        await using TestSync restarted = harness.Restart(harness.Store);

        Assert.Equal(before, restarted.GetPending());
        Assert.Equal((MutationStatus.Failed, 1, "503 busy"), (before[0].Status, before[0].Attempts, before[0].LastError));
        Assert.True(restarted.IdMap.TryResolve<Category>(confirmed.Id, out string? confirmedKey));
        Assert.True(restarted.Todos.TryGet(failedOnce.Id, out Todo? shown));
        Assert.Equal(confirmedKey, shown.CategoryId);
        Assert.True(restarted.Todos.TryGet(pendingTodo.Id, out _));
        Assert.True(restarted.Categories.TryGet(pendingCategory.Id, out _));
        Project another = restarted.Projects.Create(new Project { Name = "after restart" });
        Assert.Equal((-1, -2), (project.Id, another.Id));
        Assert.True(restarted.GetPending()[^1].Id > before[^1].Id);

        int sentBefore = harness.Transport.Sent.Count;
        await restarted.SyncAsync();

        OutgoingMutation[] resumed = harness.Transport.Sent.Skip(sentBefore).ToArray();
        Assert.Equal([failedOnce.Id, pendingCategory.Id, pendingTodo.Id, "-1", "-2"], resumed.Select(m => m.OptimisticKey));
        Assert.Equal(firstAttemptKey, resumed[0].IdempotencyKey);
        Assert.Equal(confirmedKey, JsonDocument.Parse(resumed[0].Payload).RootElement.GetProperty("categoryId").GetString());
        Assert.Equal(resumed, harness.Transport.Applied.Skip(1));
        Assert.Empty(harness.Transport.Violations);
        Assert.Equal(0, restarted.PendingCount);
        Assert.True(restarted.IdMap.TryResolve<Todo>(pendingTodo.Id, out string? todoKey));
        Assert.True(restarted.IdMap.TryResolve<Category>(pendingCategory.Id, out string? categoryKey));
        Assert.Equal(categoryKey, harness.Transport.RowOf("todos", todoKey)!["categoryId"]!.GetValue<string>());
    }

    [Fact]
    public async Task NewEngineOnSameStore_PermanentlyFailedStaysFailedUntilRetried()
    {
        // S9, F2: a failure and its reason outlive the process; dependents stay failed with it.
        var harness = new SyncHarness();
        harness.Transport.Then(m => m.Resource == "categories" ? new PushResult.Rejected("400 bad", 400) : null);
        Category category = harness.Client.Categories.Create(new Category { Name = "c" });
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });
        await harness.Client.SyncAsync();
        await harness.DisposeAsync();

        await using TestSync restarted = harness.Restart(harness.Store);
        await restarted.SyncAsync();

        Assert.Equal([(MutationStatus.PermanentlyFailed, FailureReason.Rejected), (MutationStatus.PermanentlyFailed, FailureReason.DependencyFailed)],
            restarted.GetPending().Select(p => (p.Status, p.FailureReason)));
        Assert.Equal(1, harness.Transport.PushCount);

        Assert.True(await restarted.RetryAsync(restarted.GetPending()[0].Id));
        await restarted.SyncAsync();

        Assert.Equal(0, restarted.PendingCount);
        Assert.True(restarted.IdMap.TryResolve<Todo>(todo.Id, out _));
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task MutationsInFlightWhenTheProcessStopped_AreNeverMergedIntoOrCancelledAfterRestart()
    {
        // S4, S6, S9: the server may have applied them under their idempotency keys, and a key must keep meaning
        // the same body; an update or a delete made after the restart is sent on its own.
        var server = new ScriptedTransport();
        var store = new InMemoryMutationStore();
        var options = new SyncOptions { Transport = new AnswerLostTransport(server), Store = store, AutoSync = false };
        var first = new TestSync(options);
        Todo edited = first.Todos.Create(new Todo { Title = "a" });
        Todo deleted = first.Todos.Create(new Todo { Title = "b" });
        Task stopped = first.SyncAsync();
        await server.WaitForBatchesAsync(1);
        await first.DisposeAsync();
        await stopped;
        OutgoingMutation[] lost = server.Sent.ToArray();

        await using var restarted = new TestSync(new SyncOptions { Transport = server, Store = store, AutoSync = false });
        restarted.Todos.Update(edited.Id, new TodoPatch { Title = "a2" });
        restarted.Todos.Delete(deleted.Id);
        Assert.Equal(4, restarted.PendingCount);
        await restarted.SyncAsync();

        OutgoingMutation[] resent = server.Sent.Skip(lost.Length).ToArray();
        Assert.Equal(["Create", "Create", "Update", "Delete"], resent.Select(m => m.Kind.ToString()));
        Assert.Equal(lost.Select(m => (m.IdempotencyKey, Convert.ToBase64String(m.Payload.Span))), resent.Take(2).Select(m => (m.IdempotencyKey, Convert.ToBase64String(m.Payload.Span))));
        Assert.Equal(0, restarted.PendingCount);
    }

    [Fact]
    public async Task CreateConfirmedByTheFeedWhoseAnswerWasLost_IsFoundByBothKeysAfterRestart()
    {
        // S3, S4: the store holds the mapping and the create still queued; the restored item is keyed as the mapping says.
        var server = new ScriptedTransport { AssignKey = _ => "srv-feed" };
        var store = new InMemoryMutationStore();
        var first = new TestSync(new SyncOptions { Transport = new AnswerLostTransport(server), Store = store, AutoSync = false });
        for (int i = 0; i < 1000 && first.Todos.Status != SyncSetStatus.Live; i++)
        {
            await Task.Delay(5);
        }

        var remapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.IdRemapped += _ => remapped.TrySetResult();
        Todo todo = first.Todos.Create(new Todo { Title = "a" });
        Task stopped = first.SyncAsync();
        await server.WaitForBatchesAsync(1);
        server.Publish(new ChangeEvent("todos", ChangeKind.Added, 1, "srv-feed", todo.Id, "v1",
            System.Text.Encoding.UTF8.GetBytes("""{"id":"srv-feed","title":"a","completed":false,"tagIds":[],"version":"v1"}""")) { OriginClientId = first.SyncEngine.ClientId });
        await remapped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();
        await stopped;
        Assert.Single(store.Load().Pending);
        Assert.Single(store.Load().Mappings);

        // Offline, so nothing but the store can show the item.
        await using var restarted = new TestSync(new SyncOptions { Transport = server, Store = store, AutoSync = false, NetworkMonitor = new FakeNetworkMonitor(online: false) });

        Assert.True(restarted.Todos.TryGet(todo.Id, out Todo? byOptimistic));
        Assert.True(restarted.Todos.TryGet("srv-feed", out Todo? byServer));
        Assert.Equal(("srv-feed", "srv-feed"), (byOptimistic.Id, byServer.Id));
        Assert.Equal(["srv-feed"], restarted.Todos.Items.Select(t => t.Id));
        Todo edited = restarted.Todos.Update(todo.Id, new TodoPatch { Title = "a2" });
        Assert.Equal(("srv-feed", "a2"), (edited.Id, edited.Title));
        Assert.Equal([(MutationKind.Create, "srv-feed"), (MutationKind.Update, "srv-feed")], restarted.GetPending().Select(p => (p.Kind, p.Key)));
    }
}
