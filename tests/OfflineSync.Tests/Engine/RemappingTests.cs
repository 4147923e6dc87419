using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class RemappingTests
{
    private static JsonElement Payload(OutgoingMutation mutation) => JsonDocument.Parse(mutation.Payload).RootElement;

    [Fact]
    public async Task Chain_CreateUpdateAttachUpdate_AcrossTwoResources_EveryKeyRemappedOnTheWire()
    {
        // S3, S5, S13: each step synced on its own, so every later step must carry server keys.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;

        Category work = sync.Categories.Create(new Category { Name = "Work" });
        await sync.SyncAsync();
        Todo todo = sync.Todos.Create(new Todo { Title = "Ship" });
        await sync.SyncAsync();
        sync.Todos.Update(todo.Id, new TodoPatch { Title = "Ship it" });
        await sync.SyncAsync();
        sync.Todos.Update(todo.Id, new TodoPatch { CategoryId = work.Id });
        await sync.SyncAsync();
        sync.Todos.Update(work.Id == "" ? "" : todo.Id, new TodoPatch { Completed = true });
        await sync.SyncAsync();

        Assert.True(sync.IdMap.TryResolve<Category>(work.Id, out string? categoryKey));
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out string? todoKey));
        IReadOnlyList<OutgoingMutation> sent = harness.Transport.Sent;
        Assert.Equal(5, sent.Count);
        Assert.All(sent.Skip(2), m => Assert.Equal(todoKey, m.Key));
        Assert.Equal(categoryKey, Payload(sent[3]).GetProperty("categoryId").GetString());
        Assert.Empty(harness.Transport.Violations);
        Assert.Equal(categoryKey, harness.Transport.RowOf("todos", todoKey!)!["categoryId"]!.GetValue<string>());
        Assert.True(sync.Todos.TryGet(todoKey!, out Todo? shown) && shown.Completed && shown.CategoryId == categoryKey);
    }

    [Fact]
    public async Task Chain_QueuedOffline_SentInOneBatch_ServerResolvesWithinBatch()
    {
        // S5: references to creates of the same batch follow their creates; nothing precedes its create.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        sync.SetOnline(false);

        Category work = sync.Categories.Create(new Category { Name = "Work" });
        Todo todo = sync.Todos.Create(new Todo { Title = "Ship" });
        sync.Todos.Update(todo.Id, new TodoPatch { CategoryId = work.Id });
        sync.Todos.Delete(todo.Id);
        sync.Categories.Update(work.Id, new CategoryPatch { Name = "Work!" });

        sync.SetOnline(true);
        await sync.SyncAsync();

        Assert.Empty(harness.Transport.Violations);
        Assert.Equal(0, sync.PendingCount);
        Assert.True(sync.IdMap.TryResolve<Category>(work.Id, out string? categoryKey));
        Assert.Equal("Work!", harness.Transport.RowOf("categories", categoryKey!)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task NestedObjectsAndLists_Remapped_LookAlikeStringsUntouched()
    {
        // S12, S14
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        harness.Transport.CheckReferences = false;
        User ada = sync.Users.Create(new User { Name = "Ada" });
        User bob = sync.Users.Create(new User { Name = "Bob" });
        Tag tag = sync.Tags.Create(new Tag { Label = "urgent" });
        await sync.SyncAsync();
        sync.SetOnline(false);

        // Queued after the confirmations: keys resolve when queued. Queue one more before them to test remap at send.
        string lookAlike = ada.Id;
        Todo todo = sync.Todos.Create(new Todo
        {
            Title = "Ship",
            TagIds = [tag.Id, "plain-tag"],
            Notes = lookAlike,
            Assignee = new Assignment { UserId = ada.Id, Collaborators = [bob.Id, ada.Id], Comment = bob.Id },
        });
        sync.SetOnline(true);
        await sync.SyncAsync();

        sync.IdMap.TryResolve<User>(ada.Id, out string? adaKey);
        sync.IdMap.TryResolve<User>(bob.Id, out string? bobKey);
        sync.IdMap.TryResolve<Tag>(tag.Id, out string? tagKey);
        JsonElement payload = Payload(harness.Transport.Sent[^1]);
        Assert.Equal([tagKey, "plain-tag"], payload.GetProperty("tagIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(adaKey, payload.GetProperty("assignee").GetProperty("userId").GetString());
        Assert.Equal([bobKey, adaKey], payload.GetProperty("assignee").GetProperty("collaborators").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(lookAlike, payload.GetProperty("notes").GetString());
        Assert.Equal(bob.Id, payload.GetProperty("assignee").GetProperty("comment").GetString());
        _ = todo;
    }

    [Fact]
    public async Task QueuedBeforeConfirmation_RemappedWhenSent()
    {
        // S3, S12: the references were optimistic when queued; the creates are confirmed in an earlier batch.
        await using var harness = new SyncHarness(o => o.BatchSize = 2);
        TestSync sync = harness.Client;
        User ada = sync.Users.Create(new User { Name = "Ada" });
        Tag tag = sync.Tags.Create(new Tag { Label = "urgent" });
        Todo todo = sync.Todos.Create(new Todo
        {
            Title = "Ship",
            TagIds = [tag.Id],
            Notes = ada.Id,
            Assignee = new Assignment { UserId = ada.Id, Collaborators = [ada.Id] },
        });
        harness.Transport.CheckReferences = false;

        await sync.SyncAsync();

        Assert.Equal(2, harness.Transport.PushCount);
        sync.IdMap.TryResolve<User>(ada.Id, out string? adaKey);
        sync.IdMap.TryResolve<Tag>(tag.Id, out string? tagKey);
        JsonElement payload = Payload(harness.Transport.Batches[1][0]);
        Assert.Equal(tagKey, payload.GetProperty("tagIds")[0].GetString());
        Assert.Equal(adaKey, payload.GetProperty("assignee").GetProperty("userId").GetString());
        Assert.Equal(adaKey, payload.GetProperty("assignee").GetProperty("collaborators")[0].GetString());
        Assert.Equal(ada.Id, payload.GetProperty("notes").GetString());
        Assert.True(sync.Todos.TryGet(todo.Id, out Todo? shown));
        Assert.Equal(adaKey, shown.Assignee!.UserId);
    }

    [Fact]
    public async Task CategoryCreatedAfterTodo_ThatLaterReferencesIt_IsSentFirst()
    {
        // S5, S6: the update must not fold into the todo's create, which precedes the category's create.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        TestSync sync = harness.Client;
        Todo todo = sync.Todos.Create(new Todo { Title = "Ship" });
        Category later = sync.Categories.Create(new Category { Name = "Later" });
        sync.Todos.Update(todo.Id, new TodoPatch { CategoryId = later.Id });

        Assert.Equal(3, sync.PendingCount);
        await sync.SyncAsync();

        Assert.Empty(harness.Transport.Violations);
        Assert.Equal(["todos:Create", "categories:Create", "todos:Update"], harness.Transport.Sent.Select(m => $"{m.Resource}:{m.Kind}"));
        sync.IdMap.TryResolve<Category>(later.Id, out string? categoryKey);
        Assert.Equal(categoryKey, Payload(harness.Transport.Sent[2]).GetProperty("categoryId").GetString());
    }

    [Fact]
    public async Task CrossResource_ResolvedOnlyAgainstTargetResource()
    {
        // S13: a user key that equals a tag's optimistic key is not rewritten by the tag's mapping.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        harness.Transport.CheckReferences = false;
        Tag tag = sync.Tags.Create(new Tag { Label = "t" });
        await sync.SyncAsync();

        Todo todo = sync.Todos.Create(new Todo { Title = "x", TagIds = [tag.Id], Assignee = new Assignment { UserId = tag.Id } });
        await sync.SyncAsync();

        sync.IdMap.TryResolve<Tag>(tag.Id, out string? tagKey);
        JsonElement payload = Payload(harness.Transport.Sent[^1]);
        Assert.Equal(tagKey, payload.GetProperty("tagIds")[0].GetString());
        Assert.Equal(tag.Id, payload.GetProperty("assignee").GetProperty("userId").GetString());
        _ = todo;
    }

    [Fact]
    public async Task FiftyItems_WithCrossReferences_AllRemapped()
    {
        // S3, S5, S12, S13 at scale: 50 categories and 50 todos, each todo pointing at a category and two tags.
        await using var harness = new SyncHarness(o => o.BatchSize = 7);
        TestSync sync = harness.Client;
        sync.SetOnline(false);
        var categories = new List<Category>();
        var tags = new List<Tag>();
        var todos = new List<Todo>();
        for (int i = 0; i < 50; i++)
        {
            categories.Add(sync.Categories.Create(new Category { Name = $"c{i}" }));
            tags.Add(sync.Tags.Create(new Tag { Label = $"t{i}" }));
            todos.Add(sync.Todos.Create(new Todo { Title = $"todo {i}", CategoryId = categories[i / 2].Id, TagIds = [tags[i].Id, tags[i / 3].Id] }));
            if (i % 5 == 4)
            {
                sync.Todos.Update(todos[i - 1].Id, new TodoPatch { CategoryId = categories[i].Id });
            }
        }

        sync.SetOnline(true);
        await sync.SyncAsync();

        Assert.Empty(harness.Transport.Violations);
        Assert.Equal(0, sync.PendingCount);
        Assert.Equal(50, sync.Todos.Items.Count);
        for (int i = 0; i < 50; i++)
        {
            Assert.True(sync.IdMap.TryResolve<Todo>(todos[i].Id, out string? todoKey));
            Assert.True(sync.Todos.TryGet(todos[i].Id, out Todo? shown));
            Assert.Equal(todoKey, shown.Id);
            int categoryIndex = i % 5 == 3 ? i + 1 : i / 2;
            sync.IdMap.TryResolve<Category>(categories[categoryIndex].Id, out string? categoryKey);
            Assert.Equal(categoryKey, shown.CategoryId);
            Assert.Equal(categoryKey, harness.Transport.RowOf("todos", todoKey!)!["categoryId"]!.GetValue<string>());
            sync.IdMap.TryResolve<Tag>(tags[i].Id, out string? tagKey);
            Assert.Equal(tagKey, shown.TagIds[0]);
        }
    }

    [Fact]
    public async Task LongAndGuidReferences_Remapped()
    {
        // S12, S13 for long and Guid key slots, including an array of long keys.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        TestSync sync = harness.Client;
        Project project = sync.Projects.Create(new Project { Name = "p" });
        Project other = sync.Projects.Create(new Project { Name = "q" });
        Attachment attachment = sync.Attachments.Create(new Attachment { FileName = "a", ProjectId = project.Id, RelatedProjects = [other.Id, 77] });

        await sync.SyncAsync();

        Assert.True(sync.IdMap.TryResolve<Project, long>(project.Id, out long projectKey));
        Assert.True(sync.IdMap.TryResolve<Project, long>(other.Id, out long otherKey));
        Assert.True(projectKey > 0 && otherKey > 0);
        JsonElement payload = Payload(harness.Transport.Sent[2]);
        Assert.Equal(projectKey, payload.GetProperty("projectId").GetInt64());
        Assert.Equal([otherKey, 77L], payload.GetProperty("relatedProjects").EnumerateArray().Select(e => e.GetInt64()));
        Assert.True(sync.Attachments.TryGet(attachment.Id, out Attachment? shown));
        Assert.Equal(projectKey, shown.ProjectId);
    }

    [Fact]
    public async Task IdRemapped_FiresOncePerMapping_AndTryGetFindsOptimisticKey()
    {
        // S3
        await using var harness = new SyncHarness();
        var remaps = new List<IdRemappedEventArgs>();
        harness.Client.IdRemapped += (_, e) => remaps.Add(e);
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" });
        await harness.Client.SyncAsync();

        IdRemappedEventArgs remap = Assert.Single(remaps);
        Assert.Equal(("todos", todo.Id), (remap.Resource, remap.OptimisticKey));
        Assert.True(harness.Client.Todos.TryGet(todo.Id, out Todo? byOptimistic));
        Assert.Equal(remap.ServerKey, byOptimistic.Id);
        Assert.Single(harness.Client.Todos.Items);
        Assert.Equal([new IdMapping("todos", todo.Id, remap.ServerKey)], harness.Store.Load().Mappings);
    }

    [Fact]
    public async Task Events_CarryTheOptimisticKeyAsKey_AndTheServerKeyBesideIt_WithTheClientAsSender()
    {
        // S3: MutationSynced names the item by the key it was sent under, like IdRemapped and the failure events, and
        // carries the server key beside it; the old names are obsolete aliases of the new ones.
        await using var harness = new SyncHarness();
        var seen = new List<(object? Sender, string Event, string Key, string ServerKey)>();
        harness.Client.IdRemapped += (sender, e) => seen.Add((sender, "remapped", e.OptimisticKey, e.ServerKey));
        harness.Client.MutationSynced += (sender, e) => seen.Add((sender, "synced", e.Key, e.ServerKey));
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" });

        await harness.Client.SyncAsync();

        Assert.True(harness.Client.IdMap.TryResolve<Todo>(todo.Id, out string? serverKey));
        Assert.NotEqual(todo.Id, serverKey);
        Assert.Equal(
            [(harness.Client, "remapped", todo.Id, serverKey), (harness.Client, "synced", todo.Id, serverKey)],
            seen.OrderBy(static s => s.Event, StringComparer.Ordinal));
#pragma warning disable CS0618 // the obsolete aliases, once
        var args = new IdRemappedEventArgs("todos", todo.Id, serverKey);
        Assert.Equal((todo.Id, serverKey), (args.OptimisticId, args.ServerId));
#pragma warning restore CS0618
    }

    [Fact]
    public async Task UpdateWithOptimisticKey_AfterConfirmation_TargetsServerKey()
    {
        // S3: the app may keep using the optimistic key.
        await using var harness = new SyncHarness();
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" });
        await harness.Client.SyncAsync();

        harness.Client.Todos.Update(todo.Id, new TodoPatch { Completed = true });
        await harness.Client.SyncAsync();

        harness.Client.IdMap.TryResolve<Todo>(todo.Id, out string? serverKey);
        Assert.Equal(serverKey, harness.Transport.Sent[^1].Key);
        Assert.Equal("v1", harness.Transport.Sent[^1].BaseVersion);
    }
}
