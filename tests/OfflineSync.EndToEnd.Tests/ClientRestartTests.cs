using OfflineSync.EndToEnd.Tests.Support;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

public sealed class ClientRestartTests
{
    [Fact] // S4, F4, S17: after a restart the view is rebuilt from the durable queue at once, then from a refetch
    public async Task ClientRestartedWithPendingChanges_ShowsThemAtOnce_ThenSyncsEachOnce()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync();
        TodoSync bob = cluster.CreateClient("bob");
        bob.Todos.Create(new Todo { Title = "shared" });
        await bob.SyncAsync();
        string shared = bob.Todos.Items.Single().Id;

        TodoSync alice = cluster.CreateClient("alice");
        await Eventually.TrueAsync(() => alice.Todos.TryGet(shared, out _), "alice sees the shared todo");
        alice.SetOnline(false);
        Category work = alice.Categories.Create(new Category { Name = "Work" });
        Todo mine = alice.Todos.Create(new Todo { Title = "mine", CategoryId = work.Id });
        alice.Todos.Update(shared, new TodoPatch { Title = "edited offline" });
        await alice.DisposeAsync();

        TodoSync restarted = cluster.CreateClient("alice", online: false);

        // Before any I/O: the optimistic items are back, with their references.
        Assert.Equal(3, restarted.PendingCount);
        Assert.True(restarted.Categories.TryGet(work.Id, out _));
        Assert.True(restarted.Todos.TryGet(mine.Id, out Todo? replayed));
        Assert.Equal((work.Id, "mine"), (replayed.CategoryId, replayed.Title));

        restarted.SetOnline(true);
        await restarted.SyncAsync();

        Assert.Equal(0, restarted.PendingCount);
        Category serverCategory = Assert.Single(await cluster.ServerRowsAsync<Category>());
        IReadOnlyList<Todo> serverTodos = await cluster.ServerRowsAsync<Todo>();
        Assert.Equal(2, serverTodos.Count);
        Assert.Equal("edited offline", serverTodos.Single(t => t.Id == shared).Title);
        Assert.Equal(serverCategory.Id, serverTodos.Single(t => t.Id != shared).CategoryId);
        await Eventually.TrueAsync(
            () => restarted.Todos.Items.Select(static t => (t.Id, t.Title)).Order().SequenceEqual(serverTodos.Select(static t => (t.Id, t.Title)).Order()),
            "the restarted client's view equals the server's rows");
        Assert.True(restarted.Todos.TryGet(mine.Id, out Todo? confirmed));
        Assert.Equal(serverCategory.Id, confirmed.CategoryId);
    }
}
