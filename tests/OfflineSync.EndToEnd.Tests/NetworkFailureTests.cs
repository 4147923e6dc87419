using OfflineSync.EndToEnd.Tests.Support;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

public sealed class NetworkFailureTests
{
    [Fact] // F1, S9: the server applied the create but the answer was lost; the retry replays it
    public async Task LostResponseAfterCreate_RetriedWithSameIdempotencyKey_CreatesExactlyOneRow()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync();
        await using var proxy = new LoopbackProxy(cluster.Server.Address);
        TodoSync client = cluster.CreateClient("alice", through: proxy.Address, online: false);
        var synced = new List<string>();
        client.MutationSynced += (_, e) => { lock (synced) { synced.Add(e.ServerKey); } };

        Todo todo = client.Todos.Create(new Todo { Title = "exactly once" });
        proxy.DropNextResponses(1, "POST /sync/todos");
        client.SetOnline(true);
        await Eventually.TrueAsync(() => client.PendingCount == 0, "the create is confirmed after the lost answer");

        Assert.Equal(1, proxy.DroppedResponses);
        Todo row = Assert.Single(await cluster.ServerRowsAsync<Todo>());
        Assert.Equal("exactly once", row.Title);
        Assert.Single(synced);
        Assert.True(client.Todos.TryGet(todo.Id, out Todo? local));
        Assert.Equal(row.Id, local.Id);
        await Eventually.TrueAsync(() => client.Todos.Items.Count == 1, "the view holds one item");
    }

    [Fact] // S4, S5, F1: the server goes away mid-drain and comes back on the same file
    public async Task ServerStoppedMidDrainAndRestarted_ClientFinishesWithNothingLostOrDoubled()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync();
        TodoSync client = cluster.CreateClient("alice", options => options.BatchSize = 10, online: false);
        const int count = 300;
        for (int i = 0; i < count; i++)
        {
            client.Todos.Create(new Todo { Title = $"todo {i:D3}" });
        }

        int synced = 0;
        client.MutationSynced += (_, _) => Interlocked.Increment(ref synced);
        client.SetOnline(true);
        await Eventually.TrueAsync(() => Volatile.Read(ref synced) > 0, "the drain has started");
        await cluster.RestartServerAsync();
        client.RetryNow();
        await Eventually.TrueAsync(() => client.PendingCount == 0, "the queue drains after the restart", TimeSpan.FromSeconds(60));

        IReadOnlyList<Todo> rows = await cluster.ServerRowsAsync<Todo>();
        Assert.Equal(count, rows.Count);
        Assert.Equal(count, rows.Select(static r => r.Title).Distinct().Count());
        await Eventually.TrueAsync(() => client.Todos.Items.Count == count, "the view holds every todo once");
        Assert.Equal(count, client.Todos.Items.Select(static t => t.Id).Distinct().Count());
    }
}
