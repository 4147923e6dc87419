using System.Globalization;
using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

/// <summary>
/// Where S6's coalescing stops (found by the chaos test of issue 11). A mutation a push may have carried keeps what
/// its idempotency key means, so nothing is merged into it and no delete drops it; and an update that references its
/// own new item is never folded into that item's create, whose payload would then name a key that does not exist yet.
/// </summary>
public sealed class CoalescingLimitsTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Delete_AfterAnUpdateWhoseAnswerWasLost_KeepsTheUpdate_AndTakesItsVersionAsBase()
    {
        // S6, S9, S10: the server applied the update (its row is at the next version) but the answer was lost. Dropping
        // the update would base the delete on the version before it: a conflict with the client's own write, which
        // ServerWins drops, and the row stays live.
        var scripted = new ScriptedTransport();
        var server = new IdempotentServer(scripted);
        var lossy = new AnswerLostTransport(server) { LoseNext = 0, Failure = new IOException("Connection reset by peer") };

        // One mutation per push: the delete then goes on its own and must carry the version the update's answer gave.
        await using var harness = new SyncHarness(
            o =>
            {
                o.Transport = lossy;
                o.BatchSize = 1;
            },
            transport: scripted);
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        await sync.SyncAsync();
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out string? key));
        string? created = scripted.VersionOf("todos", key);

        lossy.LoseNext = 1;
        sync.Todos.Update(key, new TodoPatch { Title = "edited" });
        await sync.SyncAsync();
        string? updated = scripted.VersionOf("todos", key);
        Assert.NotEqual(created, updated);
        Assert.Equal([(MutationKind.Update, MutationStatus.Failed)], sync.GetPending().Select(p => (p.Kind, p.Status)));

        sync.Todos.Delete(key);

        Assert.Equal([MutationKind.Update, MutationKind.Delete], sync.GetPending().Select(p => p.Kind));
        await DrainAsync(sync);
        OutgoingMutation delete = scripted.Sent[^1];
        Assert.Equal((MutationKind.Delete, updated), (delete.Kind, delete.BaseVersion));
        Assert.Empty(server.Refused);
        Assert.Null(scripted.RowOf("todos", key));
        Assert.False(sync.Todos.TryGet(key, out _));
        Assert.Equal(0, sync.PendingCount);
    }

    [Fact]
    public async Task Delete_AfterAnUpdateNeverSent_StillDropsIt()
    {
        // S6, the close case: an update no push carried is dropped, and the delete goes on the version the view holds.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        await sync.SyncAsync();
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out string? key));
        string? created = harness.Transport.VersionOf("todos", key);

        sync.Todos.Update(key, new TodoPatch { Title = "edited" });
        sync.Todos.Delete(key);

        Assert.Equal([MutationKind.Delete], sync.GetPending().Select(p => p.Kind));
        await sync.SyncAsync();
        Assert.Equal((MutationKind.Delete, created), (harness.Transport.Sent[^1].Kind, harness.Transport.Sent[^1].BaseVersion));
        Assert.Equal(2, harness.Transport.Sent.Count);
    }

    [Fact]
    public async Task Update_AfterAnUpdateWhoseAnswerWasLost_IsQueuedOnItsOwn_AndBothArrive()
    {
        // S6, S9: merged, the retry would send the first update's idempotency key with another body (422 on the server).
        var scripted = new ScriptedTransport();
        var server = new IdempotentServer(scripted);
        var lossy = new AnswerLostTransport(server) { LoseNext = 0, Failure = new IOException("Connection reset by peer") };
        await using var harness = new SyncHarness(o => o.Transport = lossy, transport: scripted);
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        await sync.SyncAsync();
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out string? key));
        lossy.LoseNext = 1;
        sync.Todos.Update(key, new TodoPatch { Title = "first" });
        await sync.SyncAsync();

        sync.Todos.Update(key, new TodoPatch { Completed = true });

        Assert.Equal([MutationKind.Update, MutationKind.Update], sync.GetPending().Select(p => p.Kind));
        await DrainAsync(sync);
        Assert.Empty(server.Refused);
        Assert.Equal(("first", true), ((string?)scripted.RowOf("todos", key)!["title"], (bool?)scripted.RowOf("todos", key)!["completed"]));
    }

    [Fact]
    public async Task Update_ReferencingItsOwnNewItem_IsNotFoldedIntoTheCreate()
    {
        // S5, S6: folded, the create would carry its own optimistic key in a reference slot, which no server can resolve
        // (the reference server refuses it: 400 optimistic_reference). Sent after the create, in the same batch, the
        // update's reference resolves to the key the create got.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Milestone milestone = sync.Milestones.Create(new Milestone { Name = "a" });

        Milestone shown = sync.Milestones.Update(milestone.Id, new MilestonePatch { DependsOnId = milestone.Id, BlockedBy = new List<int> { milestone.Id } });

        Assert.Equal((milestone.Id, milestone.Id), (shown.DependsOnId, shown.BlockedBy.Single()));
        Assert.Equal([MutationKind.Create, MutationKind.Update], sync.GetPending().Select(p => p.Kind));
        await sync.SyncAsync();

        Assert.Equal([MutationKind.Create, MutationKind.Update], harness.Transport.Sent.Select(m => m.Kind));
        Assert.Single(harness.Transport.Batches);
        using (JsonDocument create = JsonDocument.Parse(harness.Transport.Sent[0].Payload))
        {
            Assert.Equal(JsonValueKind.Null, create.RootElement.GetProperty("dependsOnId").ValueKind);
        }

        Assert.True(sync.IdMap.TryResolve<Milestone, int>(milestone.Id, out int key));
        var row = harness.Transport.RowOf("milestones", key.ToString(CultureInfo.InvariantCulture))!;
        Assert.Equal(((long)key, (long)key), ((long?)row["dependsOnId"], (long?)row["blockedBy"]![0]));
        Assert.True(sync.Milestones.TryGet(milestone.Id, out Milestone? after));
        Assert.Equal((key, key, key), (after.Id, after.DependsOnId, after.BlockedBy.Single()));
        Assert.Equal(0, sync.PendingCount);
    }

    [Fact]
    public async Task Update_ReferencingAnotherNewItemQueuedBefore_IsFoldedIntoTheCreate()
    {
        // S6, the close case: the referenced create goes first in the batch, so the folded create resolves on the server.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Milestone first = sync.Milestones.Create(new Milestone { Name = "a" });
        Milestone second = sync.Milestones.Create(new Milestone { Name = "b" });

        sync.Milestones.Update(second.Id, new MilestonePatch { DependsOnId = first.Id });

        Assert.Equal([MutationKind.Create, MutationKind.Create], sync.GetPending().Select(p => p.Kind));
        await sync.SyncAsync();
        Assert.True(sync.IdMap.TryResolve<Milestone, int>(first.Id, out int firstKey));
        Assert.True(sync.IdMap.TryResolve<Milestone, int>(second.Id, out int secondKey));
        Assert.Equal((long?)firstKey, (long?)harness.Transport.RowOf("milestones", secondKey.ToString(CultureInfo.InvariantCulture))!["dependsOnId"]);
    }

    /// <summary>Retries at once (the fake clock never ends a backoff) until the queue is empty.</summary>
    private static async Task DrainAsync(TestSync sync)
    {
        using var timeout = new CancellationTokenSource(HangGuard);
        while (sync.PendingCount > 0)
        {
            sync.RetryNow();
            await sync.SyncAsync(timeout.Token);
            await Task.Delay(2, timeout.Token);
        }
    }
}
