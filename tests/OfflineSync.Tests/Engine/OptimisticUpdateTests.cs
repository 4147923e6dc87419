using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class OptimisticUpdateTests
{
    [Fact]
    public async Task Create_Offline_ShowsItemAtOnceWithoutIo()
    {
        // S1
        await using var harness = new SyncHarness();
        harness.Client.SetOnline(false);

        Todo todo = harness.Client.Todos.Create(new Todo { Title = "Ship" });

        Assert.True(harness.Client.Todos.TryGet(todo.Id, out Todo? shown));
        Assert.Equal("Ship", shown.Title);
        Assert.Single(harness.Client.Todos.Items);
        Assert.Equal(0, harness.Transport.PushCount);
        Assert.Equal(1, harness.Client.PendingCount);
    }

    [Fact]
    public async Task CreateAndUpdate_TheAppChangesItsInstancesAfterwards_TheViewKeepsWhatWasQueued()
    {
        // S1: the view holds copies of its own, not the app's entity or patch.
        await using var harness = new SyncHarness();
        var item = new Todo { Title = "Ship" };
        Todo created = harness.Client.Todos.Create(item);
        var patch = new TodoPatch { Completed = true };
        harness.Client.Todos.Update(created.Id, patch);

        item.Title = "changed by the app afterwards";
        patch.Title = "also changed afterwards";

        Assert.True(harness.Client.Todos.TryGet(created.Id, out Todo? shown));
        Assert.Equal("Ship", shown.Title);
        Assert.True(shown.Completed);
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeViewBeforeReturning()
    {
        // S1
        await using var harness = new SyncHarness();
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "Ship" });

        Todo updated = harness.Client.Todos.Update(todo.Id, new TodoPatch { Completed = true });
        Assert.True(updated.Completed);
        Assert.True(harness.Client.Todos.TryGet(todo.Id, out Todo? shown) && shown.Completed);

        harness.Client.Todos.Delete(todo.Id);
        Assert.False(harness.Client.Todos.TryGet(todo.Id, out _));
        Assert.Empty(harness.Client.Todos.Items);
    }

    [Fact]
    public async Task Create_WithoutKey_GetsOptimisticStringKey()
    {
        // S2
        await using var harness = new SyncHarness();
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" });

        Assert.StartsWith(OptimisticKeys.StringPrefix, todo.Id, StringComparison.Ordinal);
        Assert.Equal(OptimisticKeys.StringPrefix.Length + 26, todo.Id.Length);
    }

    [Fact]
    public async Task Create_LongKey_GetsNegativeKeysFromStoreCounter()
    {
        // S2
        await using var harness = new SyncHarness();
        Project first = harness.Client.Projects.Create(new Project { Name = "a" });
        Project second = harness.Client.Projects.Create(new Project { Name = "b" });

        Assert.Equal(-1, first.Id);
        Assert.Equal(-2, second.Id);
        Assert.Equal(3, harness.Store.NextOptimisticCounter("projects"));
    }

    [Fact]
    public async Task Create_GuidKey_GetsVersion7Proposal()
    {
        // S2
        await using var harness = new SyncHarness();
        Attachment attachment = harness.Client.Attachments.Create(new Attachment { FileName = "a.png" });

        Assert.NotEqual(Guid.Empty, attachment.Id);
        Assert.Equal(7, attachment.Id.Version);
    }

    [Fact]
    public async Task Create_ProposedKeyKeptByServer_StoresNoMappingAndRaisesNoEvent()
    {
        // S2, S3
        await using var harness = new SyncHarness();
        var remaps = new List<IdRemappedEventArgs>();
        harness.Client.IdRemapped += (_, e) => remaps.Add(e);

        harness.Client.Tags.Create(new Tag { Id = "urgent", Label = "Urgent" });
        await harness.Client.SyncAsync();

        Assert.Empty(remaps);
        Assert.False(harness.Client.IdMap.TryResolve<Tag>("urgent", out _));
        Assert.Empty(harness.Store.Load().Mappings);
        Assert.Equal("urgent", harness.Transport.Applied.Single().Key);
    }

    [Fact]
    public async Task Create_ProposedGuidReplacedByServer_IsMapped()
    {
        // S2: a proposed key the server replaces is mapped like an optimistic one.
        var serverId = Guid.Parse("11111111-2222-3333-4444-555555555555");
        await using var harness = new SyncHarness();
        harness.Transport.AssignKey = m => m.Resource == "attachments" ? serverId.ToString("D") : null;

        Attachment attachment = harness.Client.Attachments.Create(new Attachment { FileName = "a.png" });
        await harness.Client.SyncAsync();

        Assert.True(harness.Client.IdMap.TryResolve<Attachment, Guid>(attachment.Id, out Guid resolved));
        Assert.Equal(serverId, resolved);
        Assert.True(harness.Client.Attachments.TryGet(serverId, out _));
    }

    [Fact]
    public async Task Create_Payload_IsEntityJsonWithOptimisticKey()
    {
        await using var harness = new SyncHarness();
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "Ship" });
        await harness.Client.SyncAsync();

        OutgoingMutation sent = harness.Transport.Sent.Single();
        Assert.Equal(MutationKind.Create, sent.Kind);
        Assert.Equal(todo.Id, sent.Key);
        Assert.Equal(todo.Id, sent.OptimisticKey);
        using JsonDocument payload = JsonDocument.Parse(sent.Payload);
        Assert.Equal("Ship", payload.RootElement.GetProperty("title").GetString());
        Assert.Equal($"todos:create:{todo.Id}:{harness.Engine.ClientId}:1", sent.IdempotencyKey);
    }

    [Fact]
    public async Task Create_IntKey_GetsNegativeKeysFromStoreCounter_IntReferencesRemapped()
    {
        // S2, S3, S12: int keys work like long keys; int slots and lists of ints are remapped when sent.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        TestSync sync = harness.Client;
        Milestone first = sync.Milestones.Create(new Milestone { Name = "a" });
        Milestone second = sync.Milestones.Create(new Milestone { Name = "b", DependsOnId = first.Id, BlockedBy = [first.Id, 7] });
        Milestone proposed = sync.Milestones.Create(new Milestone { Id = 42, Name = "proposed" });

        Assert.Equal((-1, -2, 42), (first.Id, second.Id, proposed.Id));
        await sync.SyncAsync();

        Assert.True(sync.IdMap.TryResolve<Milestone, int>(first.Id, out int firstKey));
        Assert.True(sync.IdMap.TryResolve<Milestone, int>(second.Id, out int secondKey));
        Assert.False(sync.IdMap.TryResolve<Milestone, int>(42, out _));
        Assert.True(firstKey > 0 && secondKey > 0 && firstKey != secondKey);
        using JsonDocument sent = JsonDocument.Parse(harness.Transport.Sent[1].Payload);
        Assert.Equal(firstKey, sent.RootElement.GetProperty("dependsOnId").GetInt32());
        Assert.Equal([firstKey, 7], sent.RootElement.GetProperty("blockedBy").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(sync.Milestones.TryGet(second.Id, out Milestone? shown));
        Assert.Equal((secondKey, firstKey), (shown.Id, shown.DependsOnId));
        Assert.Equal(3, harness.Store.NextOptimisticCounter("milestones"));
        Assert.Empty(harness.Transport.Violations);
    }
}
