using OfflineSync.Http;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;

namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>
/// Two TodoApp server processes over one PostgreSQL database, and clients as an app ships them (generated
/// <see cref="TodoSync"/>, SQLite queue, <see cref="HttpSyncTransport"/>) behind a random load balancer.
/// </summary>
internal sealed class InstanceCluster : IAsyncDisposable
{
    private readonly List<(TodoSync Client, HttpClient Http)> _clients = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinesync-instances-").FullName;

    private InstanceCluster(TestDatabase database, ServerProcess[] instances)
    {
        Database = database;
        Instances = instances;
    }

    public TestDatabase Database { get; }

    public ServerProcess[] Instances { get; }

    public List<RandomInstanceHandler> Balancers { get; } = [];

    private int _failures;

    /// <summary>Gets how many mutations failed for good (<c>MutationFailed</c>) on any client.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public static async Task<InstanceCluster> StartAsync()
    {
        TestDatabase database = await TestDatabase.CreateAsync();
        ServerProcess[] instances = await Task.WhenAll(ServerProcess.StartAsync(database.ConnectionString), ServerProcess.StartAsync(database.ConnectionString));
        return new InstanceCluster(database, instances);
    }

    public TodoSync CreateClient(string name, int seed, Action<SyncOptions>? configure = null)
    {
        var balancer = new RandomInstanceHandler([.. Instances.Select(static i => i.Port)], seed);
        var http = new HttpClient(balancer) { BaseAddress = Instances[0].Address, Timeout = TimeSpan.FromSeconds(30) };
        var options = new SyncOptions
        {
            Transport = new HttpSyncTransport(http),
            Store = SqliteMutationStore.Open(Path.Combine(_directory, name + ".db")),
            MaxAttempts = 100, // an instance killed for a while is a transient failure, retried until it is back
        };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        configure?.Invoke(options);
        var client = new TodoSync(options);
        client.MutationFailed += (_, _) => Interlocked.Increment(ref _failures);
        _clients.Add((client, http));
        Balancers.Add(balancer);
        return client;
    }

    /// <summary>Reads every row of a resource from one instance through the protocol.</summary>
    public async Task<List<T>> ServerRowsAsync<T>(int instance = 1)
        where T : class, ISyncEntity<T>
    {
        using var transport = new HttpSyncTransport(Instances[instance].Address);
        var rows = new List<T>();
        string? after = null;
        while (true)
        {
            ListPage page = await transport.ListAsync(T.ResourceName, after, 500, "observer", CancellationToken.None);
            rows.AddRange(page.Items.Select(static item => SyncJson.Deserialize<T>(item.Data.Span)));
            if (!page.HasMore || page.Items.Count == 0)
            {
                return rows;
            }

            after = page.Items[^1].Key;
        }
    }

    /// <summary>Counts the rows the instances stored, of every resource, tombstones included.</summary>
    public Task<long> StoredRowsAsync() => Database.ScalarAsync<long>("SELECT count(*) FROM offlinesync.rows;");

    /// <summary>Counts stored rows (tombstones included) whose key or JSON holds an optimistic key: the server must never store one.</summary>
    public Task<long> StoredOptimisticKeysAsync() => Database.ScalarAsync<long>(
        "SELECT count(*) FROM offlinesync.rows WHERE key LIKE 'optimistic\\_%' OR convert_from(coalesce(json, ''::bytea), 'UTF8') LIKE '%optimistic\\_%';");

    /// <summary>Waits until every client's queue is empty and its views equal the server's rows.</summary>
    public async Task WaitForConvergenceAsync(TimeSpan timeout)
    {
        await Eventually.TrueAsync(() => _clients.TrueForAll(static c => c.Client.PendingCount == 0), "every queue drains", timeout);
        await Eventually.TrueAsync(
            async () =>
            {
                List<Todo> todos = await ServerRowsAsync<Todo>();
                List<Category> categories = await ServerRowsAsync<Category>();
                return _clients.TrueForAll(c => Same(c.Client.Todos.Items, todos, Describe) && Same(c.Client.Categories.Items, categories, static x => $"{x.Id}|{x.Name}"));
            },
            "every client's views equal the server's rows",
            timeout);
    }

    public static string Describe(Todo todo) => $"{todo.Id}|{todo.Title}|{todo.Completed}|{todo.CategoryId}";

    public async ValueTask DisposeAsync()
    {
        foreach ((TodoSync client, HttpClient http) in _clients)
        {
            await client.DisposeAsync();
            http.Dispose();
        }

        foreach (ServerProcess instance in Instances)
        {
            await instance.DisposeAsync();
        }

        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool Same<T>(IEnumerable<T> local, IEnumerable<T> server, Func<T, string> describe) =>
        local.Select(describe).Order(StringComparer.Ordinal).SequenceEqual(server.Select(describe).Order(StringComparer.Ordinal));
}
