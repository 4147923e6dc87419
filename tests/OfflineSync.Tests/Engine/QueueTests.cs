using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class QueueTests
{
    [Fact]
    public async Task Enqueue_IsInStoreBeforeCallReturns()
    {
        // S4: the store holds the mutation when Create returns (durability itself is the SQLite store's).
        await using var harness = new SyncHarness();
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" });

        StoredMutation stored = Assert.Single(harness.Store.Load().Pending);
        Assert.Equal((MutationKind.Create, todo.Id), (stored.Kind, stored.Key));
    }

    [Fact]
    public async Task Push_IsFifo_AcrossResources()
    {
        // S5
        await using var harness = new SyncHarness(o => o.BatchSize = 2);
        TestSync sync = harness.Client;
        for (int i = 1; i <= 5; i++)
        {
            if (i % 2 == 1)
            {
                sync.Tags.Create(new Tag { Label = $"{i}" });
            }
            else
            {
                sync.Users.Create(new User { Name = $"{i}" });
            }
        }

        await sync.SyncAsync();

        Assert.Equal(["tags:1", "users:2", "tags:3", "users:4", "tags:5"],
            harness.Transport.Sent.Select(m => $"{m.Resource}:{m.IdempotencyKey.Split(':')[^1]}"));
        Assert.Equal(3, harness.Transport.PushCount);
    }

    [Fact]
    public async Task AppIdempotencyKey_SecondCallWhileQueued_ReturnsFirstResult()
    {
        // S6: a double-clicked button.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo first = sync.Todos.Create(new Todo { Title = "a" }, "click-1");
        Todo second = sync.Todos.Create(new Todo { Title = "a" }, "click-1");

        Assert.Equal(first.Id, second.Id);
        Assert.Single(sync.Todos.Items);
        Assert.Equal(1, sync.PendingCount);

        sync.Todos.Delete(first.Id, "del-1");
        sync.Todos.Delete(first.Id, "del-1");
        await sync.SyncAsync();
        Assert.Empty(harness.Transport.Sent);
    }

    [Fact]
    public async Task AppIdempotencyKey_AfterSync_IsFree()
    {
        // S6: only while the first is queued.
        await using var harness = new SyncHarness();
        harness.Client.Todos.Create(new Todo { Title = "a" }, "k");
        await harness.Client.SyncAsync();
        harness.Client.Todos.Create(new Todo { Title = "b" }, "k");

        Assert.Equal(2, harness.Client.Todos.Items.Count);
    }

    [Fact]
    public async Task AppIdempotencyKey_ReusedForAnotherOperation_Throws()
    {
        await using var harness = new SyncHarness();
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" }, "k");
        Assert.Throws<InvalidOperationException>(() => harness.Client.Tags.Create(new Tag { Label = "x" }, "k"));
        Assert.Throws<InvalidOperationException>(() => harness.Client.Todos.Delete(todo.Id, "k"));
    }

    [Fact]
    public async Task Updates_MergeIntoLatestPendingUpdate()
    {
        // S6
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        harness.Transport.Seed("todos", "t1", "v7", """{"id":"t1","title":"old","completed":false,"tagIds":[]}""");
        await harness.RelistAsync(sync.Todos);
        await WaitForRow(sync, "t1");

        sync.Todos.Update("t1", new TodoPatch { Title = "new" });
        sync.Todos.Update("t1", new TodoPatch { Completed = true });
        Assert.Equal(1, sync.PendingCount);
        await sync.SyncAsync();

        OutgoingMutation sent = Assert.Single(harness.Transport.Sent);
        Assert.Equal("v7", sent.BaseVersion);
        using JsonDocument payload = JsonDocument.Parse(sent.Payload);
        Assert.Equal("new", payload.RootElement.GetProperty("title").GetString());
        Assert.True(payload.RootElement.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task Update_FoldsIntoPendingCreate()
    {
        // S6
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        Todo shown = sync.Todos.Update(todo.Id, new TodoPatch { Title = "b", Completed = true });

        Assert.Equal(("b", true), (shown.Title, shown.Completed));
        Assert.Equal(1, sync.PendingCount);
        await sync.SyncAsync();

        OutgoingMutation sent = Assert.Single(harness.Transport.Sent);
        Assert.Equal(MutationKind.Create, sent.Kind);
        using JsonDocument payload = JsonDocument.Parse(sent.Payload);
        Assert.Equal("b", payload.RootElement.GetProperty("title").GetString());
        Assert.True(sync.Todos.TryGet(todo.Id, out Todo? after) && after.Title == "b" && after.Completed);
        Assert.Single(sync.Todos.Items);
    }

    [Fact]
    public async Task Update_DoesNotMergeIntoInFlightMutation_AndIsSentOnce()
    {
        // S6, S8: a mutation made during a drain is sent exactly once, after the in-flight one.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        harness.Transport.OnPush = async _ =>
        {
            entered.TrySetResult();
            await release.Task;
        };
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        Task draining = sync.SyncAsync();
        await entered.Task;

        sync.Todos.Update(todo.Id, new TodoPatch { Title = "b" });
        Tag tag = sync.Tags.Create(new Tag { Label = "during" });
        harness.Transport.OnPush = null;
        release.SetResult();
        await draining;
        await sync.SyncAsync();

        Assert.Equal(["todos:Create", "todos:Update", "tags:Create"], harness.Transport.Sent.Select(m => $"{m.Resource}:{m.Kind}"));
        Assert.Equal(0, sync.PendingCount);
        Assert.Empty(harness.Transport.Violations);
        _ = tag;
    }

    [Fact]
    public async Task CreateThenDelete_NeverSent_CancelsBoth()
    {
        // S6
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        sync.Todos.Update(todo.Id, new TodoPatch { Title = "b" });
        sync.Todos.Delete(todo.Id);

        Assert.Equal(0, sync.PendingCount);
        Assert.Empty(harness.Store.Load().Pending);
        await sync.SyncAsync();
        Assert.Empty(harness.Transport.Sent);
        Assert.Empty(sync.Todos.Items);
    }

    [Fact]
    public async Task CreateThenDelete_WhenOthersReferenceIt_IsNotCancelled()
    {
        // S5, S6: cancelling would leave the todo pointing at a key the server never saw.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Category category = sync.Categories.Create(new Category { Name = "c" });
        sync.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });
        sync.Categories.Delete(category.Id);

        Assert.Equal(3, sync.PendingCount);
        await sync.SyncAsync();
        Assert.Equal(["categories:Create", "todos:Create", "categories:Delete"], harness.Transport.Sent.Select(m => $"{m.Resource}:{m.Kind}"));
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task Delete_DropsPendingUpdates()
    {
        // S6
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        harness.Transport.Seed("todos", "t1", "v1", """{"id":"t1","title":"old","completed":false,"tagIds":[]}""");
        await harness.RelistAsync(sync.Todos);
        await WaitForRow(sync, "t1");

        sync.Todos.Update("t1", new TodoPatch { Title = "x" });
        sync.Todos.Delete("t1");
        Assert.Equal(1, sync.PendingCount);
        await sync.SyncAsync();

        OutgoingMutation sent = Assert.Single(harness.Transport.Sent);
        Assert.Equal((MutationKind.Delete, "v1"), (sent.Kind, sent.BaseVersion));
    }

    [Fact]
    public async Task QueueFull_Reject_ThrowsAndChangesNothing()
    {
        // S7
        await using var harness = new SyncHarness(o => o.MaxQueueSize = 2);
        TestSync sync = harness.Client;
        sync.Projects.Create(new Project { Name = "a" });
        sync.Projects.Create(new Project { Name = "b" });
        var rejected = new Project { Name = "c" };

        SyncQueueFullException error = Assert.Throws<SyncQueueFullException>(() => sync.Projects.Create(rejected));

        Assert.Equal(2, error.MaxQueueSize);
        Assert.Equal(0, rejected.Id);
        Assert.Equal(2, sync.Projects.Items.Count);
        Assert.Equal(2, harness.Store.Load().Pending.Count);
        Assert.Equal(3, harness.Store.NextOptimisticCounter("projects"));
    }

    [Fact]
    public async Task QueueFull_DropOldest_DropsOldestAndRaisesEvent()
    {
        // S7
        await using SyncHarness harness = DropOldestOfTwo();
        TestSync sync = harness.Client;
        var dropped = new List<MutationDroppedEventArgs>();
        sync.MutationDropped += dropped.Add;
        Tag a = sync.Tags.Create(new Tag { Label = "a" });
        sync.Tags.Create(new Tag { Label = "b" });
        sync.Tags.Create(new Tag { Label = "c" });

        Assert.Equal(a.Id, Assert.Single(dropped).Mutation.Key);
        Assert.Equal(["b", "c"], sync.Tags.Items.Select(t => t.Label).Order());
        await sync.SyncAsync();
        Assert.Equal(2, harness.Transport.Sent.Count);
    }

    [Fact]
    public async Task QueueFull_DropOldest_SkipsInFlight()
    {
        // S7
        await using SyncHarness harness = DropOldestOfTwo(o => o.BatchSize = 1);
        TestSync sync = harness.Client;
        var release = new TaskCompletionSource();
        harness.Transport.OnPush = _ => release.Task;
        var dropped = new List<MutationDroppedEventArgs>();
        sync.MutationDropped += dropped.Add;
        sync.Tags.Create(new Tag { Label = "a" });
        sync.Tags.Create(new Tag { Label = "b" });
        Task draining = sync.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(1);

        sync.Tags.Create(new Tag { Label = "c" });
        harness.Transport.OnPush = null;
        release.SetResult();
        await draining;
        await sync.SyncAsync();

        Assert.Equal("b", sync.Tags.Items.Select(t => t.Label).Order().Except(["a", "c"]).DefaultIfEmpty("b").Single());
        Assert.Single(dropped);
        Assert.Equal(["a", "c"], harness.Transport.Applied.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task GetPending_ShowsStatusAttemptsAndKeysInOrder()
    {
        // S9
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Tag tag = sync.Tags.Create(new Tag { Label = "a" });
        User user = sync.Users.Create(new User { Name = "u" });

        IReadOnlyList<PendingMutation> pending = sync.GetPending();

        Assert.Equal([(tag.Id, MutationKind.Create, MutationStatus.Pending), (user.Id, MutationKind.Create, MutationStatus.Pending)],
            pending.Select(p => (p.Key, p.Kind, p.Status)));
        Assert.True(pending[0].Id < pending[1].Id);
        Assert.All(pending, p => Assert.Equal(0, p.Attempts));
    }

    [Fact]
    public async Task ClearAsync_EmptiesQueueAndOverlay_KeepsIdMap()
    {
        // DESIGN §5: ClearAsync keeps the ID map.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Tag kept = sync.Tags.Create(new Tag { Label = "synced" });
        await sync.SyncAsync();
        sync.Tags.Create(new Tag { Label = "pending" });

        await sync.ClearAsync();

        Assert.Equal(0, sync.PendingCount);
        Assert.Empty(harness.Store.Load().Pending);
        Assert.Equal(["synced"], sync.Tags.Items.Select(t => t.Label));
        Assert.True(sync.IdMap.TryResolve<Tag>(kept.Id, out _));
        Assert.Single(harness.Store.Load().Mappings);
    }

    [Fact]
    public async Task Update_ReferencingCreateQueuedAfterPendingUpdate_IsNotMerged()
    {
        // S5, S6: merging would move the reference ahead of the category's create.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        await sync.SyncAsync();

        sync.Todos.Update(todo.Id, new TodoPatch { Title = "b" });
        Category category = sync.Categories.Create(new Category { Name = "later" });
        sync.Todos.Update(todo.Id, new TodoPatch { CategoryId = category.Id });
        Assert.Equal(3, sync.PendingCount);
        sync.Todos.Update(todo.Id, new TodoPatch { Completed = true });
        Assert.Equal(3, sync.PendingCount);
        await sync.SyncAsync();

        OutgoingMutation[] sent = harness.Transport.Sent.Skip(1).ToArray();
        Assert.Equal(["todos:Update", "categories:Create", "todos:Update"], sent.Select(m => $"{m.Resource}:{m.Kind}"));
        Assert.Equal(["title"], JsonDocument.Parse(sent[0].Payload).RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["categoryId", "completed"], JsonDocument.Parse(sent[2].Payload).RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(sync.IdMap.TryResolve<Category>(category.Id, out string? categoryKey));
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out string? todoKey));
        Assert.Equal(categoryKey, harness.Transport.RowOf("todos", todoKey)!["categoryId"]!.GetValue<string>());
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task Update_ReferencingCreateQueuedBeforePendingUpdate_IsMerged()
    {
        // S6: the close case, the referenced create precedes the update it merges into.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        await sync.SyncAsync();

        Category category = sync.Categories.Create(new Category { Name = "earlier" });
        sync.Todos.Update(todo.Id, new TodoPatch { Title = "b" });
        sync.Todos.Update(todo.Id, new TodoPatch { CategoryId = category.Id });

        Assert.Equal(2, sync.PendingCount);
        await sync.SyncAsync();
        Assert.Equal(["categories:Create", "todos:Update"], harness.Transport.Sent.Skip(1).Select(m => $"{m.Resource}:{m.Kind}"));
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task QueueFull_DropOldest_EventCarriesTheDroppedMutation()
    {
        // S7: the event shows what was lost, as GetPending showed it; the store forgets it too.
        await using SyncHarness harness = DropOldestOfTwo();
        TestSync sync = harness.Client;
        var dropped = new List<MutationDroppedEventArgs>();
        sync.MutationDropped += dropped.Add;
        harness.Transport.ThenTransient(error: "503 busy");
        Tag oldest = sync.Tags.Create(new Tag { Label = "oldest" });
        await sync.SyncAsync();
        PendingMutation before = Assert.Single(sync.GetPending());
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        sync.Tags.Create(new Tag { Label = "b" });

        sync.Tags.Create(new Tag { Label = "c" });

        PendingMutation lost = Assert.Single(dropped).Mutation;
        Assert.Equal(before, lost);
        Assert.Equal((oldest.Id, "tags", MutationKind.Create, MutationStatus.Failed, 1, "503 busy"), (lost.Key, lost.Resource, lost.Kind, lost.Status, lost.Attempts, lost.LastError));
        Assert.DoesNotContain(harness.Store.Load().Pending, m => m.Sequence == lost.Id);
        Assert.False(sync.Tags.TryGet(oldest.Id, out _));
        await harness.RetryUntilAsync(2);
        Assert.Equal(["b", "c"], harness.Transport.Applied.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task QueueFull_DropOldestCreate_FailsWhatReferencesIt()
    {
        // S7, S9: nothing may be sent that references an item the server will never have.
        await using SyncHarness harness = DropOldestOfTwo();
        TestSync sync = harness.Client;
        var failed = new List<MutationFailedEventArgs>();
        sync.MutationFailed += failed.Add;
        Category category = sync.Categories.Create(new Category { Name = "dropped" });
        Todo todo = sync.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });

        Tag tag = sync.Tags.Create(new Tag { Label = "newest" });

        Assert.False(sync.Categories.TryGet(category.Id, out _));
        Assert.Equal((todo.Id, FailureReason.DependencyFailed), (Assert.Single(failed).Mutation.Key, failed[0].Reason));
        await sync.SyncAsync();
        Assert.Equal(tag.Id, Assert.Single(harness.Transport.Sent).Key);
        Assert.Empty(harness.Transport.Violations);
    }

    [Theory]
    [InlineData(MutationKind.Create)]
    [InlineData(MutationKind.Update)]
    public async Task QueueFull_DropOldest_DropsTheCreateTheNewMutationReferences_NewMutationFails(MutationKind kind)
    {
        // S5, S7, S9: the room for the new mutation is made by dropping the create it points at, so it can never be sent.
        await using SyncHarness harness = DropOldestOfTwo();
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "synced" });
        await sync.SyncAsync();
        var failed = new List<MutationFailedEventArgs>();
        sync.MutationFailed += failed.Add;
        Category category = sync.Categories.Create(new Category { Name = "oldest" });
        sync.Tags.Create(new Tag { Label = "filler" });

        string referencing = kind == MutationKind.Create
            ? sync.Todos.Create(new Todo { Title = "new", CategoryId = category.Id }).Id
            : sync.Todos.Update(todo.Id, new TodoPatch { CategoryId = category.Id }).Id;

        Assert.False(sync.Categories.TryGet(category.Id, out _));
        MutationFailedEventArgs failure = Assert.Single(failed);
        Assert.Equal((kind, FailureReason.DependencyFailed), (failure.Mutation.Kind, failure.Reason));
        Assert.Equal(referencing, failure.Mutation.Key);
        await sync.SyncAsync();
        Assert.Equal(["todos", "tags"], harness.Transport.Sent.Select(m => m.Resource));
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task QueueFull_DropOldest_DropsTheCreateOfTheUpdatedItem_UpdateFails()
    {
        // S7, S9: the update's room is made by dropping its own item's create (sent once, so not merged into).
        await using SyncHarness harness = DropOldestOfTwo();
        TestSync sync = harness.Client;
        harness.Transport.ThenTransient();
        Category category = sync.Categories.Create(new Category { Name = "failed once" });
        await sync.SyncAsync();
        sync.Tags.Create(new Tag { Label = "filler" });
        var failed = new List<MutationFailedEventArgs>();
        sync.MutationFailed += failed.Add;

        sync.Categories.Update(category.Id, new CategoryPatch { Name = "renamed" });

        Assert.False(sync.Categories.TryGet(category.Id, out _));
        Assert.Equal((MutationKind.Update, category.Id, FailureReason.DependencyFailed), (Assert.Single(failed).Mutation.Kind, failed[0].Mutation.Key, failed[0].Reason));
        await harness.RetryUntilAsync(2);
        Assert.Equal(["categories", "tags"], harness.Transport.Sent.Select(m => m.Resource));
        Assert.Empty(harness.Transport.Violations);
    }

    /// <summary>A harness whose queue holds two mutations and drops the oldest for a third (S7).</summary>
    private static SyncHarness DropOldestOfTwo(Action<SyncOptions>? configure = null) => new(o =>
    {
        o.MaxQueueSize = 2;
        o.QueueFullPolicy = QueueFullPolicy.DropOldest;
        configure?.Invoke(o);
    });

    internal static async Task WaitForRow(TestSync sync, string key)
    {
        for (int i = 0; i < 200 && !sync.Todos.TryGet(key, out _); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(sync.Todos.TryGet(key, out _), $"The feed never delivered {key}.");
    }
}
