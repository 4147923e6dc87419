using OfflineSync.Http;
using OfflineSync.Server;
using TodoApp.Model;
using TodoApp.Server;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// A real reference server (Kestrel on 127.0.0.1, a temporary SQLite file) and clients that talk
/// to it over HTTP with SQLite queues of their own: the system as an app ships it.
/// </summary>
internal sealed class SyncCluster : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = new();
    private readonly Action<SyncServerOptions>? _configureServer;

    private SyncCluster(string directory, Action<SyncServerOptions>? configureServer)
    {
        Directory = directory;
        _configureServer = configureServer;
    }

    public string Directory { get; }

    public string ServerDatabase => Path.Combine(Directory, "server.db");

    public SyncServerHost Server { get; private set; } = null!;

    public static async Task<SyncCluster> StartAsync(Action<SyncServerOptions>? configureServer = null)
    {
        var cluster = new SyncCluster(System.IO.Directory.CreateTempSubdirectory("offlinesync-e2e-").FullName, configureServer);
        cluster.Server = await TodoServer.StartAsync(cluster.ServerDatabase, configureServer);
        return cluster;
    }

    /// <summary>Stops the server and starts it again on the same file and port.</summary>
    public async Task RestartServerAsync()
    {
        Uri address = Server.Address;
        await Server.StopAsync();
        Server = await TodoServer.StartAsync(ServerDatabase, _configureServer, url: $"http://127.0.0.1:{address.Port}");
    }

    /// <summary>
    /// Creates a client with its own SQLite queue, talking to <paramref name="through"/> (default: the server); with
    /// <paramref name="online"/> <see langword="false"/> it starts offline and stays so until <c>SetOnline(true)</c>.
    /// </summary>
    public TodoSync CreateClient(string name, Action<SyncOptions>? configure = null, Uri? through = null, bool online = true)
    {
        var transport = new HttpSyncTransport(through ?? Server.Address);
        var options = new SyncOptions
        {
            Transport = transport,
            Store = SqliteMutationStore.Open(Path.Combine(Directory, name + ".db")),
            NetworkMonitor = online ? null : new StartsOffline(),
        };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        configure?.Invoke(options);
        var client = new TodoSync(options);
        _owned.Add(client);
        return client;
    }

    /// <summary>Reads every row of a resource from the server through the protocol.</summary>
    public async Task<IReadOnlyList<T>> ServerRowsAsync<T>()
        where T : class, ISyncEntity<T>
    {
        using var transport = new HttpSyncTransport(Server.Address);
        var rows = new List<T>();
        string? after = null;
        while (true)
        {
            ListPage page = await transport.ListAsync(T.ResourceName, after, 500, "e2e-observer", CancellationToken.None);
            rows.AddRange(page.Items.Select(static item => SyncJson.Deserialize<T>(item.Data.Span)));
            if (!page.HasMore || page.Items.Count == 0)
            {
                return rows;
            }

            after = page.Items[^1].Key;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
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
