using Microsoft.AspNetCore.Builder;
using OfflineSync.Http;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a temporary SQLite file, a real <see cref="HttpSyncTransport"/> to it
/// (lists and feeds speak for <see cref="ClientId"/>, the default of <see cref="Mutations"/>), and a raw <see cref="HttpClient"/>
/// that sends only what a test puts in its requests.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    /// <summary>The client id of <see cref="Transport"/>.</summary>
    public const string ClientId = "client-a";

    private readonly string _directory;
    private readonly List<IDisposable> _clients = [];

    private TestServer(string directory, SyncServerHost host)
    {
        _directory = directory;
        Host = host;
        Transport = CreateTransport();
        Http = new HttpClient { BaseAddress = host.Address };
    }

    public SyncServerHost Host { get; private set; }

    public HttpSyncTransport Transport { get; private set; }

    public HttpClient Http { get; private set; }

    public string DatabasePath => Path.Combine(_directory, "server.db");

    public static async Task<TestServer> StartAsync(Action<SyncServerOptions>? configure = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        SyncServerHost host = await SyncServerHost.StartAsync(Path.Combine(directory, "server.db"), MapAll, configure);
        return new TestServer(directory, host);
    }

    /// <summary>Stops the server and starts a new one on the same file (another port).</summary>
    public async Task RestartAsync(Action<SyncServerOptions>? configure = null)
    {
        await Host.StopAsync();
        Http.Dispose();
        Host = await SyncServerHost.StartAsync(DatabasePath, MapAll, configure);
        Transport = CreateTransport();
        Http = new HttpClient { BaseAddress = Host.Address };
    }

    /// <summary>Creates a transport to the server (the client id travels with each call); the server disposes it.</summary>
    public HttpSyncTransport CreateTransport(HttpSyncTransportOptions? options = null)
    {
        var client = new HttpClient { BaseAddress = Host.Address };
        var transport = new HttpSyncTransport(client, options);
        _clients.Add(transport);
        _clients.Add(client);
        return transport;
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(static c => c.Dispose());
        Http.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left for the temp cleaner.
        }
    }

    private static void MapAll(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app)
    {
        app.MapSyncResource<Folder>();
        app.MapSyncResource<Note>();
        app.MapSyncResource<Counter>();
        app.MapSyncResource<Badge>();
        app.MapSyncResource<Ticket>();
    }
}
