using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.Faults;

/// <summary>
/// A write the server applied but whose answer was lost is still the client's own write: what the
/// client queues after it must not conflict with it. Found by the chaos test (rule R3).
/// </summary>
public sealed class LostAnswerTests
{
    [Fact] // S6, S10, S11 with F1: a delete after an update whose answer was lost deletes the row
    public async Task DeleteAfterAnUpdateWhoseAnswerWasLost_DeletesTheRow()
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var network = new LossyHandler();

        // The feed is down and the backoff long: the view knows only what the pushes answered, and the lost
        // update waits in the queue (Failed) while the delete is made.
        WorkspaceSync alice = cluster.CreateClient("alice", handler: network, configure: static options =>
        {
            options.Retry.BaseDelay = TimeSpan.FromMinutes(5);
            options.Retry.MaxDelay = TimeSpan.FromMinutes(5);
        });
        var conflicts = new List<SyncConflict>();
        alice.ConflictDetected += (_, e) => { lock (conflicts) { conflicts.Add(e.Conflict); } };
        alice.Boards.Create(new Board { Title = "alice's board", Nonce = "alice-1" });
        await alice.SyncAsync();
        long key = alice.Boards.Items.Single().Id;

        network.LoseNextAnswer(static request => request.Method == HttpMethod.Patch);
        alice.Boards.Update(key, b => (b.Title, b.Stamp) = ("edited", "alice-u1"));
        await Eventually.TrueAsync(
            () => network.LostAnswers == 1 && alice.GetPending() is [{ Status: MutationStatus.Failed }],
            "the update is applied, its answer lost, and it waits to be retried",
            WorkspaceAssert.Patience);
        Assert.Equal("alice-u1", WorkspaceAssert.Row(await cluster.SnapshotAsync(), "alice-1").Item!.Stamp);

        // S6: the delete replaces the queued update; nobody else wrote the row, so nothing conflicts with it.
        alice.Boards.Delete(key);
        alice.RetryNow();
        await alice.SyncAsync();
        await Eventually.TrueAsync(() => alice.PendingCount == 0, "alice's queue drains", WorkspaceAssert.Patience);

        network.ReleaseFeeds();
        ServerSnapshot server = await cluster.SnapshotAsync();
        Assert.True(
            server.Rows["boards"].Count == 0,
            $"Alice's delete did not delete her row: {string.Join("; ", server.Rows["boards"].Select(static r => r.Item!.Json))}; conflicts: {string.Join("; ", conflicts.Select(static c => c.Error))}");
        Assert.Empty(conflicts);
        await WorkspaceAssert.ConvergedAsync(cluster, alice);
    }
}
