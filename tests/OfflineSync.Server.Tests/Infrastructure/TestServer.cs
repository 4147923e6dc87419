using Microsoft.AspNetCore.Builder;
using OfflineSync.Http;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 with a temporary SQLite file, and a real <see cref="HttpSyncTransport"/> to it.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly string _directory;

    private TestServer(string directory, SyncServerHost host)
    {
        _directory = directory;
        Host = host;
        Transport = new HttpSyncTransport(host.Address);
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
        Transport.Dispose();
        Http.Dispose();
        Host = await SyncServerHost.StartAsync(DatabasePath, MapAll, configure);
        Transport = new HttpSyncTransport(Host.Address);
        Http = new HttpClient { BaseAddress = Host.Address };
    }

    public async ValueTask DisposeAsync()
    {
        Transport.Dispose();
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
