using OfflineSync.Http;
using OfflineSync.Server;
using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// The reference server serving the multi-client test model (Kestrel on 127.0.0.1, a temporary
/// SQLite file) and named clients with SQLite queues of their own. A client's name is its
/// <see cref="SyncOptions.ClientId"/> and its store file, so reopening a name is a restart.
/// </summary>
internal sealed class WorkspaceCluster : IAsyncDisposable
{
    private readonly List<WorkspaceSync> _clients = new();

    private WorkspaceCluster(string directory, SyncServerHost server)
    {
        Directory = directory;
        Server = server;
    }

    public string Directory { get; }

    public SyncServerHost Server { get; }

    /// <summary>Starts the server; its feeds send a heartbeat every 200 ms, so a feed's backlog can be read to its end.</summary>
    public static async Task<WorkspaceCluster> StartAsync()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("offlinesync-multi-").FullName;
        SyncServerHost server = await WorkspaceServer.StartAsync(
            Path.Combine(directory, "server.db"),
            static options => options.HeartbeatInterval = TimeSpan.FromMilliseconds(200));
        return new WorkspaceCluster(directory, server);
    }

    /// <summary>
    /// Opens the client <paramref name="name"/> (its id and its store file). With <paramref name="autoSync"/>
    /// off, an online client follows the feeds but pushes only in <see cref="SyncClient.SyncAsync(CancellationToken)"/>:
    /// its queued creates meet the other clients' rows deterministically. <paramref name="through"/> puts a proxy
    /// in between; <paramref name="configure"/> adjusts the options last.
    /// </summary>
    public WorkspaceSync CreateClient(
        string name,
        bool online = true,
        bool autoSync = true,
        ConflictStrategy strategy = ConflictStrategy.ServerWins,
        DelegatingHandler? handler = null,
        Uri? through = null,
        Action<SyncOptions>? configure = null)
    {
        Uri address = through ?? Server.Address;
        HttpSyncTransport transport = handler is null
            ? new HttpSyncTransport(address)
            : new HttpSyncTransport(new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) });
        var options = new SyncOptions
        {
            Transport = transport,
            Store = SqliteMutationStore.Open(Path.Combine(Directory, name + ".db")),
            ClientId = name,
            AutoSync = autoSync,
            ConflictStrategy = strategy,
            NetworkMonitor = online ? null : new StartsOffline(),
        };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        configure?.Invoke(options);
        var client = new WorkspaceSync(options);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>Stops a client and opens it again from its store: a restart of the app.</summary>
    public async Task<WorkspaceSync> RestartAsync(WorkspaceSync client, bool online = true, bool autoSync = true, DelegatingHandler? handler = null)
    {
        string name = client.Options.ClientId!;
        ConflictStrategy strategy = client.Options.ConflictStrategy;
        await client.DisposeAsync();
        lock (_clients)
        {
            _clients.Remove(client);
        }

        return CreateClient(name, online, autoSync, strategy, handler);
    }

    /// <summary>An observer that talks to the server as the client <paramref name="clientId"/>.</summary>
    public ServerObserver Observe(string clientId = "observer") => new(Server.Address, clientId);

    /// <summary>Every live row of every resource.</summary>
    public async Task<ServerSnapshot> SnapshotAsync()
    {
        using ServerObserver observer = Observe();
        return await observer.SnapshotAsync();
    }

    public async ValueTask DisposeAsync()
    {
        WorkspaceSync[] clients;
        lock (_clients)
        {
            clients = _clients.ToArray();
        }

        foreach (WorkspaceSync client in clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
