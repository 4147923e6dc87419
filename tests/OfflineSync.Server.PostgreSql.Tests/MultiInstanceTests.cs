using OfflineSync.Server.PostgreSql.Tests.Support;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;

namespace OfflineSync.Server.PostgreSql.Tests;

/// <summary>
/// Two server processes over one PostgreSQL database, three clients whose every request goes to either instance
/// at random: offline sessions, concurrent edits under each conflict strategy, and an instance SIGKILLed in the
/// middle of the clients' batches. Whatever instance a client reaches, it converges on the same rows.
/// </summary>
[Collection(nameof(MultiInstanceTests))] // alone: two server processes and three clients each, beside no other test class
public sealed class MultiInstanceTests
{
    private static readonly TimeSpan Converged = TimeSpan.FromMinutes(3);

    [PostgresFact] // S3, S5, S10, S11, S15, S16: the whole protocol over two instances
    public async Task ThreeClientsOnTwoInstances_OfflineSessionsAndConcurrentEditsUnderEachStrategy_Converge()
    {
        await using InstanceCluster cluster = await InstanceCluster.StartAsync();
        TodoSync alice = cluster.CreateClient("alice", seed: 1, o => o.ConflictStrategy = ConflictStrategy.ServerWins);
        TodoSync bob = cluster.CreateClient("bob", seed: 2, o => o.ConflictStrategy = ConflictStrategy.ClientWins);
        TodoSync carol = cluster.CreateClient("carol", seed: 3, o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = conflict =>
            {
                Todo merged = conflict.GetServerState<Todo>()!;
                merged.Title += " + carol";
                return Task.FromResult(ConflictResolution.Replace(merged));
            };
        });
        TodoSync[] clients = [alice, bob, carol];

        // Online: each client creates a category and todos that reference it (optimistic keys until confirmed).
        foreach ((TodoSync client, int index) in clients.Select(static (c, i) => (c, i)))
        {
            Category category = client.Categories.Create(new Category { Name = $"c{index}" });
            for (int i = 0; i < 4; i++)
            {
                client.Todos.Create(new Todo { Title = $"c{index}-online-{i}", CategoryId = category.Id });
            }

            await client.SyncAsync();
        }

        await cluster.WaitForConvergenceAsync(Converged);
        string shared = alice.Todos.Items.Single(static t => t.Title == "c0-online-0").Id;
        string second = alice.Todos.Items.Single(static t => t.Title == "c0-online-1").Id;

        // Offline: every client edits the shared todo, creates rows referencing a category made offline, deletes one of its own.
        foreach (TodoSync client in clients)
        {
            client.SetOnline(false);
        }

        alice.Todos.Update(shared, new TodoPatch { Title = "alice" });
        bob.Todos.Update(shared, new TodoPatch { Title = "bob", Completed = true });
        carol.Todos.Update(shared, new TodoPatch { Title = "carol" });
        foreach ((TodoSync client, int index) in clients.Select(static (c, i) => (c, i)))
        {
            Category offline = client.Categories.Create(new Category { Name = $"c{index}-offline" });
            for (int i = 0; i < 3; i++)
            {
                client.Todos.Create(new Todo { Title = $"c{index}-offline-{i}", CategoryId = offline.Id });
            }

            client.Todos.Delete(client.Todos.Items.Single(t => t.Title == $"c{index}-online-3").Id);
        }

        // Back online one after the other: alice's edit lands first, bob's conflicts (ClientWins: his title),
        // carol's conflicts (Manual: bob's title with hers appended).
        foreach (TodoSync client in clients)
        {
            client.SetOnline(true);
            await client.SyncAsync();
            await Eventually.TrueAsync(() => client.PendingCount == 0, "the client's queue drains", Converged);
        }

        // Offline again: bob edits a todo first, alice after him (ServerWins: alice's edit is dropped).
        bob.SetOnline(false);
        alice.SetOnline(false);
        bob.Todos.Update(second, new TodoPatch { Title = "bob's second" });
        alice.Todos.Update(second, new TodoPatch { Title = "alice's second" });
        bob.SetOnline(true);
        await bob.SyncAsync();
        alice.SetOnline(true);
        await alice.SyncAsync();

        await cluster.WaitForConvergenceAsync(Converged);
        List<Todo> todos = await cluster.ServerRowsAsync<Todo>(instance: 0);
        Assert.Equal("bob + carol", todos.Single(t => t.Id == shared).Title);
        Assert.True(todos.Single(t => t.Id == shared).Completed);
        Assert.Equal("bob's second", todos.Single(t => t.Id == second).Title);
        string[] expected = [.. Enumerable.Range(0, 3).SelectMany(static c => Enumerable.Range(0, 3).Select(i => $"c{c}-online-{i}").Concat(Enumerable.Range(0, 3).Select(i => $"c{c}-offline-{i}")))];
        Assert.Equal(expected.Order(StringComparer.Ordinal), todos.Where(t => t.Id != shared && t.Id != second).Select(static t => t.Title).Concat(["c0-online-0", "c0-online-1"]).Order(StringComparer.Ordinal));
        Assert.Equal(6, (await cluster.ServerRowsAsync<Category>()).Count);
        Assert.Equal(0, await cluster.StoredOptimisticKeysAsync());
        Assert.Equal(0, cluster.Failures);
    }

    [PostgresFact] // S4, S9, F1: a server instance dies mid-batch; retries reach the other and the restarted one
    public async Task InstanceKilledMidBatchAndRestarted_EverythingConverges_NothingLostNothingDoubled()
    {
        await using InstanceCluster cluster = await InstanceCluster.StartAsync();
        TodoSync[] clients = [.. Enumerable.Range(0, 3).Select(i => cluster.CreateClient($"client{i}", seed: 10 + i))];
        const int categoriesEach = 40, todosPerCategory = 3;

        // Offline sessions: every client queues creates that reference each other, then updates of them.
        foreach ((TodoSync client, int index) in clients.Select(static (c, i) => (c, i)))
        {
            client.SetOnline(false);
            for (int c = 0; c < categoriesEach; c++)
            {
                Category category = client.Categories.Create(new Category { Name = $"client{index}-category-{c}" });
                for (int t = 0; t < todosPerCategory; t++)
                {
                    Todo todo = client.Todos.Create(new Todo { Title = $"client{index}-todo-{c}-{t}", CategoryId = category.Id });
                    client.Todos.Update(todo.Id, new TodoPatch { Completed = true });
                }
            }
        }

        // All online at once; kill instance 0 once the server has applied part of the batches, restart it later.
        foreach (TodoSync client in clients)
        {
            client.SetOnline(true);
        }

        long stored = clients.Length * categoriesEach * (1 + todosPerCategory);
        await Eventually.TrueAsync(async () => await cluster.StoredRowsAsync() >= stored / 4, "a quarter of the rows is stored", Converged);
        await cluster.Instances[0].KillAsync();

        // Instance 1 goes on alone. On a loaded machine the kill may land after the clients sent everything, or while
        // instance 0 commits their last batch (its answer lost, the retry answered from the idempotency records): what
        // the offline sessions left cannot show it. So every client writes again while instance 0 is down, round after
        // round until one of their requests found it down (each goes to either instance at random), and instance 1
        // alone stores it all.
        int roundsWhileDown = 0;
        do
        {
            Assert.True(roundsWhileDown < 20, $"{roundsWhileDown} rounds of writes while instance 0 was down sent no request to it.");
            foreach ((TodoSync client, int index) in clients.Select(static (c, i) => (c, i)))
            {
                client.Categories.Create(new Category { Name = $"client{index}-while-down-{roundsWhileDown}" });
            }

            roundsWhileDown++;
            stored += clients.Length;
            await Eventually.TrueAsync(async () => await cluster.StoredRowsAsync() >= stored, $"instance 1 alone stores the {stored} rows written so far, instance 0 being down", Converged);
        }
        while (cluster.Balancers.Sum(static b => b.Failed) == 0);

        // Back with instance 0: one more write each, sent to either instance; the restarted one serves the rows read below.
        await cluster.Instances[0].StartAsync();
        foreach ((TodoSync client, int index) in clients.Select(static (c, i) => (c, i)))
        {
            client.Categories.Create(new Category { Name = $"client{index}-after-restart" });
        }

        await cluster.WaitForConvergenceAsync(Converged);
        List<Todo> todos = await cluster.ServerRowsAsync<Todo>(instance: 0);
        List<Category> categories = await cluster.ServerRowsAsync<Category>(instance: 0);
        Assert.Equal(clients.Length * categoriesEach * todosPerCategory, todos.Count);
        Assert.Equal(todos.Count, todos.Select(static t => t.Title).Distinct().Count()); // nothing doubled
        Assert.Equal(clients.Length * (categoriesEach + roundsWhileDown + 1), categories.Select(static c => c.Name).Distinct().Count());
        Assert.Equal(categories.Count, categories.Select(static c => c.Name).Distinct().Count()); // nothing doubled
        Assert.All(todos, static t => Assert.True(t.Completed, $"{t.Title} lost its update"));
        Dictionary<string, string> categoryNames = categories.ToDictionary(static c => c.Id, static c => c.Name);
        Assert.All(todos, t => Assert.Equal(t.Title[..t.Title.LastIndexOf('-')].Replace("todo", "category", StringComparison.Ordinal), categoryNames[t.CategoryId!]));
        Assert.Equal(0, await cluster.StoredOptimisticKeysAsync());
        Assert.Equal(0, cluster.Failures);
    }
}

/// <summary>Runs <see cref="MultiInstanceTests"/> while no other test class of the assembly runs.</summary>
[CollectionDefinition(nameof(MultiInstanceTests), DisableParallelization = true)]
public sealed class MultiInstanceTestsCollection;
