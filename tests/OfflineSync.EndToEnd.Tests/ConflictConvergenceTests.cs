using OfflineSync.EndToEnd.Tests.Support;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

public sealed class ConflictConvergenceTests
{
    [Theory] // S10, S11, S15: two clients converge after concurrent edits under each strategy
    [InlineData(ConflictStrategy.ServerWins, "bob's title")]
    [InlineData(ConflictStrategy.ClientWins, "alice's title")]
    [InlineData(ConflictStrategy.Manual, "alice's title, merged")]
    public async Task ConcurrentEdits_EachStrategy_BothClientsConvergeOnTheServerState(ConflictStrategy strategy, string expectedTitle)
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync();
        int conflicts = 0;
        TodoSync alice = cluster.CreateClient("alice", options =>
        {
            options.ConflictStrategy = strategy;
            options.OnConflict = conflict =>
            {
                Todo server = conflict.GetServerState<Todo>()!;
                server.Title = "alice's title, merged";
                return Task.FromResult(ConflictResolution.Replace(server));
            };
        });
        TodoSync bob = cluster.CreateClient("bob");
        alice.ConflictDetected += (_, _) => Interlocked.Increment(ref conflicts);

        Todo shared = bob.Todos.Create(new Todo { Title = "original" });
        await bob.SyncAsync();
        string key = bob.Todos.Items.Single().Id;
        await Eventually.TrueAsync(() => alice.Todos.TryGet(key, out _), "alice sees the todo");

        alice.SetOnline(false);
        alice.Todos.Update(key, new TodoPatch { Title = "alice's title" });
        bob.Todos.Update(key, new TodoPatch { Title = "bob's title", Completed = true });
        await bob.SyncAsync();

        alice.SetOnline(true);
        await alice.SyncAsync();

        // SyncAsync returns while a manual conflict waits for its answer (S8); the re-send follows it.
        await Eventually.TrueAsync(() => alice.PendingCount == 0, "alice's queue drains");
        Assert.Equal(1, conflicts);
        Todo onServer = Assert.Single(await cluster.ServerRowsAsync<Todo>());
        Assert.Equal(expectedTitle, onServer.Title);
        Assert.True(onServer.Completed); // Bob's other field survives: every strategy works on patches, not whole rows
        await Eventually.TrueAsync(() => Matches(alice, onServer) && Matches(bob, onServer), "both clients show the server's todo");
        Assert.NotNull(shared);
    }

    private static bool Matches(TodoSync client, Todo server) =>
        client.Todos.Items.Count == 1
        && client.Todos.TryGet(server.Id, out Todo? local)
        && local.Title == server.Title
        && local.Completed == server.Completed;
}
