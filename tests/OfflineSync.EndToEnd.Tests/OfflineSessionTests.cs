using OfflineSync.EndToEnd.Tests.Support;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

public sealed class OfflineSessionTests
{
    [Fact] // S3, S5, S12, S13 over real HTTP
    public async Task OfflineSession_CreateCategoryAndTodoThenReconnect_ServerHoldsOnlyServerKeys()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync();
        TodoSync client = cluster.CreateClient("alice", online: false);

        Category work = client.Categories.Create(new Category { Name = "Work" });
        Tag urgent = client.Tags.Create(new Tag { Name = "urgent" });
        User ann = client.Users.Create(new User { Name = "Ann" });
        Todo ship = client.Todos.Create(new Todo
        {
            Title = "Ship",
            CategoryId = work.Id,
            TagIds = [urgent.Id],
            Assignee = new Assignment { UserId = ann.Id, Collaborators = [ann.Id] },
        });
        client.Todos.Update(ship.Id, new TodoPatch { Completed = true });
        Assert.StartsWith(OptimisticKeys.StringPrefix, work.Id);

        client.SetOnline(true);
        await client.SyncAsync();

        Assert.Equal(0, client.PendingCount);
        Category serverCategory = Assert.Single(await cluster.ServerRowsAsync<Category>());
        Tag serverTag = Assert.Single(await cluster.ServerRowsAsync<Tag>());
        User serverUser = Assert.Single(await cluster.ServerRowsAsync<User>());
        Todo serverTodo = Assert.Single(await cluster.ServerRowsAsync<Todo>());
        Assert.False(OptimisticKeys.IsOptimistic(SyncKeyKind.String, serverTodo.Id));
        Assert.Equal(serverCategory.Id, serverTodo.CategoryId);
        Assert.Equal([serverTag.Id], serverTodo.TagIds);
        Assert.Equal(serverUser.Id, serverTodo.Assignee?.UserId);
        Assert.Equal([serverUser.Id], serverTodo.Assignee?.Collaborators);
        Assert.True(serverTodo.Completed);

        // The local view was re-keyed too, and the optimistic keys still find the items (S3).
        Assert.True(client.Todos.TryGet(ship.Id, out Todo? local));
        Assert.Equal(serverTodo.Id, local.Id);
        Assert.Equal(serverCategory.Id, local.CategoryId);
        Assert.True(client.IdMap.TryResolve<Category>(work.Id, out string? categoryKey));
        Assert.Equal(serverCategory.Id, categoryKey);
    }
}
