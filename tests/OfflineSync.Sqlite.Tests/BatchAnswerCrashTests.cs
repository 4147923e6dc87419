using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// Issue 11, found by the chaos test: one answer confirms several mutations of a batch. A crash while the engine records
/// that answer must leave the store file as before the answer or as after all of it. A create recorded as confirmed
/// while its dependent update from the same batch is not makes the restarted client send that update with the
/// create's server key, under the idempotency key it first went with holding the optimistic key; the server refuses
/// the reused key (422) and the update fails as <c>Rejected</c> although the server applied it.
/// </summary>
public sealed class BatchAnswerCrashTests : IAsyncDisposable
{
    private const string ClientId = "client-a";
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly CrashedClients _clients = new();

    public ValueTask DisposeAsync() => _clients.DisposeAsync();

    [Fact]
    public async Task Crash_AtEveryStoreWriteWhileABatchIsAnswered_RestartRepeatsOrFinishesIt_NothingRefused()
    {
        // S3, S4, S9
        (int queued, int total) = await CountWritesAsync();
        Assert.True(total > queued, "Answering the push wrote nothing.");

        for (int crashAt = queued + 1; crashAt <= total; crashAt++)
        {
            string path = _clients.Folder.File($"crash-{crashAt}.db");
            var scripted = new ScriptedTransport();
            var server = new IdempotentServer(scripted);
            TestSync first = _clients.Open(new CrashingStore(SqliteMutationStore.Open(path), crashAt), server, ClientId);
            (Todo todo, Category category) = Enqueue(first);
            await first.SyncAsync().WaitAsync(HangGuard);
            Assert.Equal(1, scripted.PushCount);
            await _clients.CloseAsync(first);

            TestSync second = _clients.Open(SqliteMutationStore.Open(path), server, ClientId);
            var failures = new List<MutationFailedEventArgs>();
            second.MutationFailed += (_, e) => failures.Add(e);
            await second.SyncAsync().WaitAsync(HangGuard);

            string at = $"crash before store write {crashAt} (answer writes {queued + 1}-{total})";
            Assert.True(server.Refused.Count == 0, $"{at}: the server refused reused keys {string.Join(", ", server.Refused)}");
            Assert.True(failures.Count == 0, $"{at}: {string.Join("; ", failures.Select(f => $"{f.Reason}: {f.Error}"))}");
            Assert.Equal(0, second.PendingCount);

            // Applied once each, whatever was repeated: the server answered repeats from its idempotency store.
            Assert.Equal(3, scripted.Applied.Count);
            Assert.True(second.IdMap.TryResolve<Todo>(todo.Id, out string? todoKey), at);
            Assert.True(second.IdMap.TryResolve<Category>(category.Id, out string? categoryKey), at);
            Assert.Equal((categoryKey, true), ((string?)scripted.RowOf("todos", todoKey)!["categoryId"], (bool?)scripted.RowOf("todos", todoKey)!["completed"]));
            Assert.True(second.Todos.TryGet(todo.Id, out Todo? shown), at);
            Assert.Equal((todoKey, categoryKey, true), (shown.Id, shown.CategoryId, shown.Completed));
        }
    }

    /// <summary>
    /// A batch of three: a todo, a category queued after it, and an update of the todo that references the category
    /// (queued after the todo's create, so it stays a mutation of its own, S6): its key and its payload both name
    /// creates of the same batch, which the server resolves there.
    /// </summary>
    private static (Todo Todo, Category Category) Enqueue(TestSync client)
    {
        Todo todo = client.Todos.Create(new Todo { Title = "write" });
        Category category = client.Categories.Create(new Category { Name = "queued after the todo" });
        client.Todos.Update(todo.Id, new TodoPatch { CategoryId = category.Id, Completed = true });
        Assert.Equal([MutationKind.Create, MutationKind.Create, MutationKind.Update], client.GetPending().Select(p => p.Kind));
        return (todo, category);
    }

    /// <summary>Runs the batch with no crash; returns the store writes of the enqueues and of everything.</summary>
    private async Task<(int Queued, int Total)> CountWritesAsync()
    {
        var store = new CrashingStore(SqliteMutationStore.Open(_clients.Folder.File("no-crash.db")), int.MaxValue);
        TestSync client = _clients.Open(store, new ScriptedTransport(), ClientId);
        Enqueue(client);
        int queued = store.Writes;
        await client.SyncAsync().WaitAsync(HangGuard);
        Assert.Equal(0, client.PendingCount);
        return (queued, store.Writes);
    }
}
