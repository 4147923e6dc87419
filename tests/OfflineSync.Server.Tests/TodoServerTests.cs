using OfflineSync.Http;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;
using TodoApp.Server;

namespace OfflineSync.Server.Tests;

/// <summary>The sample server with the generated TodoApp model: generated visitors walk nested assignments and lists.</summary>
public sealed class TodoServerTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));
    private SyncServerHost _server = null!;
    private HttpSyncTransport _transport = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await TodoServer.StartAsync(Path.Combine(_directory, "todo.db"));
        _transport = new HttpSyncTransport(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _transport.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task OfflineSession_OneBatch_EveryReferenceColumnHoldsServerKeys()
    {
        // S12, S13 on the server: nested and list reference slots resolved within the batch.
        var m = new Mutations();
        string category = OptimisticKeys.NewString(), tag = OptimisticKeys.NewString(), user = OptimisticKeys.NewString(), helper = OptimisticKeys.NewString();
        string todo = OptimisticKeys.NewString();
        OutgoingMutation[] batch =
        [
            m.Create(new Category { Id = category, Name = "Work" }),
            m.Create(new Tag { Id = tag, Name = "urgent" }),
            m.Create(new User { Id = user, Name = "Ada" }),
            m.Create(new User { Id = helper, Name = "Grace" }),
            m.Create(new Todo { Id = todo, Title = "Ship", CategoryId = category, TagIds = [tag], Assignee = new Assignment { UserId = user, Collaborators = [helper, user] } }),
            m.Update(todo, new TodoPatch { Completed = true }),
        ];

        IReadOnlyList<PushResult> results = await _transport.PushAsync(batch, default);

        Assert.Equal(6, results.Count);
        string[] keys = results.Select(r => Results.Applied(r).ServerKey).ToArray();
        Todo stored = Results.Read<Todo>(Results.Applied(results[5]).State);
        Assert.Equal((keys[0], keys[1], keys[2]), (stored.CategoryId, stored.TagIds.Single(), stored.Assignee!.UserId));
        Assert.Equal([keys[3], keys[2]], stored.Assignee.Collaborators);
        Assert.True(stored.Completed);
        foreach (string resource in new[] { "categories", "tags", "users", "todos" })
        {
            foreach (ListItem row in await Results.ListAllAsync(_transport, resource))
            {
                Assert.DoesNotContain(OptimisticKeys.StringPrefix, System.Text.Encoding.UTF8.GetString(row.Data.Span), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task NestedOptimisticCollaborator_OutsideBatch_Rejected400()
    {
        PushResult result = Assert.Single(await _transport.PushAsync(
            [new Mutations().Create(new Todo { Id = OptimisticKeys.NewString(), Title = "x", Assignee = new Assignment { Collaborators = ["u-1", OptimisticKeys.NewString()] } })], default));

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(result);
        Assert.Equal(400, rejected.Status);
        Assert.Contains("users", rejected.Error, StringComparison.Ordinal);
        Assert.Empty(await Results.ListAllAsync(_transport, "todos"));
    }

    [Fact]
    public async Task GeneratedPatch_OnlySetFieldsChange()
    {
        var m = new Mutations();
        PushResult.Applied created = Results.Single(await _transport.PushAsync([m.Create(new Todo { Id = OptimisticKeys.NewString(), Title = "keep", CategoryId = "c-1" })], default));

        PushResult.Applied updated = Results.Single(await _transport.PushAsync([m.Update(created.ServerKey, new TodoPatch { Completed = true }, created.Version)], default));

        Todo todo = Results.Read<Todo>(updated.State);
        Assert.Equal(("keep", "c-1", true), (todo.Title, todo.CategoryId, todo.Completed));
    }
}
