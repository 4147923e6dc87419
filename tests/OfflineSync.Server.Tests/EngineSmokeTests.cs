using OfflineSync.Http;
using TodoApp.Model;
using TodoApp.Server;

namespace OfflineSync.Server.Tests;

/// <summary>The engine, the transport and the server together: a smoke check of the wire contract (the full scenarios live in EndToEnd.Tests).</summary>
public sealed class EngineSmokeTests
{
    [Fact]
    public async Task OfflineCreatesWithReferences_SyncedAndRemapped()
    {
        // S3, S5 over real HTTP.
        string directory = Path.Combine(Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using SyncServerHost server = await TodoServer.StartAsync(Path.Combine(directory, "todo.db"));
            using var transport = new HttpSyncTransport(server.Address);
            var remapped = new List<string>();
            await using (var sync = new TodoSync(new SyncOptions { Transport = transport, AutoSync = false }))
            {
                sync.IdRemapped += e => remapped.Add(e.Resource);
                Category work = sync.Categories.Create(new Category { Name = "Work" });
                Todo todo = sync.Todos.Create(new Todo { Title = "Ship", CategoryId = work.Id });
                sync.Todos.Update(todo.Id, new TodoPatch { Completed = true });

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await sync.SyncAsync(timeout.Token);

                Assert.Empty(sync.GetPending());
            }

            Assert.Contains("categories", remapped);
            Assert.Contains("todos", remapped);
            ListPage categories = await transport.ListAsync("categories", null, 10, "client-a", default);
            ListPage todos = await transport.ListAsync("todos", null, 10, "client-a", default);
            Todo stored = System.Text.Json.JsonSerializer.Deserialize(Assert.Single(todos.Items).Data.Span, Todo.JsonTypeInfo)!;
            Assert.Equal(Assert.Single(categories.Items).Key, stored.CategoryId);
            Assert.True(stored.Completed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TransportSendsOneMutationPerRequest_ReferencesToEarlierCreatesStillResolve()
    {
        // S3, S5: a create and a todo referencing it, each in its own request: the todo goes after the engine applied
        // the category's answer, with the server key in its reference slot (before, a second request from the same push
        // carried the optimistic key and the server refused it with optimistic_reference).
        string directory = Path.Combine(Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using SyncServerHost server = await TodoServer.StartAsync(Path.Combine(directory, "todo.db"));
            using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { MaxBatchSize = 1 });
            await using (var sync = new TodoSync(new SyncOptions { Transport = transport, AutoSync = false }))
            {
                Category work = sync.Categories.Create(new Category { Name = "Work" });
                Todo todo = sync.Todos.Create(new Todo { Title = "Ship", CategoryId = work.Id });
                sync.Todos.Update(todo.Id, new TodoPatch { Completed = true });

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await sync.SyncAsync(timeout.Token);

                Assert.Empty(sync.GetPending());
            }

            ListPage categories = await transport.ListAsync("categories", null, 10, "client-a", default);
            ListPage todos = await transport.ListAsync("todos", null, 10, "client-a", default);
            Todo stored = System.Text.Json.JsonSerializer.Deserialize(Assert.Single(todos.Items).Data.Span, Todo.JsonTypeInfo)!;
            Assert.Equal(Assert.Single(categories.Items).Key, stored.CategoryId);
            Assert.True(stored.Completed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
