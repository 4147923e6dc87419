using Microsoft.AspNetCore.Builder;
using OfflineSync.Http;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 over a store of its own, a real <see cref="HttpSyncTransport"/> to it
/// (lists and feeds speak for <see cref="ClientId"/>, the default of <see cref="Mutations"/>), and a raw <see cref="HttpClient"/>
/// that sends only what a test puts in its requests.
/// </summary>
/// <remarks>
/// The store is the nested <c>Store</c> of the other part of this class: a temporary SQLite file here
/// (TestServer.Sqlite.cs); OfflineSync.Server.PostgreSql.Tests compiles these tests again with a PostgreSQL
/// schema instead, so what a test reads or plants in the store directly goes through <see cref="Count"/> and
/// <see cref="Execute"/>, in SQL both stores understand.
/// </remarks>
public sealed partial class TestServer : IAsyncDisposable
{
    /// <summary>The client id of <see cref="Transport"/>.</summary>
    public const string ClientId = "client-a";

    private readonly Store _store;
    private readonly List<IDisposable> _clients = [];

    private TestServer(Store store, SyncServerHost host)
    {
        _store = store;
        Host = host;
        Transport = CreateTransport();
        Http = new HttpClient { BaseAddress = host.Address };
    }

    public SyncServerHost Host { get; private set; }

    public HttpSyncTransport Transport { get; private set; }

    public HttpClient Http { get; private set; }

    public static async Task<TestServer> StartAsync(Action<SyncServerOptions>? configure = null)
    {
        var store = new Store();
        return new TestServer(store, await StartHostAsync(store, configure));
    }

    /// <summary>Stops the server and starts a new one on the same store (another port).</summary>
    public async Task RestartAsync(Action<SyncServerOptions>? configure = null)
    {
        await Host.StopAsync();
        Http.Dispose();
        Host = await StartHostAsync(_store, configure);
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

    /// <summary>Counts the rows of a table of the server's store (<c>"rows WHERE resource = 'folders'"</c>), read beside the running server.</summary>
    public long Count(string tableAndCondition) => _store.Count(tableAndCondition);

    /// <summary>
    /// Counts what readers hold of the store right now: on SQLite 1 when a read transaction keeps the WAL from being
    /// checkpointed, on PostgreSQL the server's connections busy with a statement or a transaction (its listener aside).
    /// </summary>
    public long HeldByReaders() => _store.HeldByReaders();

    /// <summary>Runs one statement on the (stopped) server's store, with <paramref name="value"/> as <c>@value</c>; returns the rows it changed.</summary>
    public int Execute(string sql, string value) => _store.Execute(sql, value);

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(static c => c.Dispose());
        Http.Dispose();
        await Host.DisposeAsync();
        _store.Delete();
    }

    /// <summary>A store of this suite's kind (SQLite here, PostgreSQL in the other build) for a host a test builds itself.</summary>
    public sealed class OwnStore : IDisposable
    {
        private readonly Store _store = new();

        public void Configure(SyncServerOptions options) => _store.Configure(options);

        public void Dispose() => _store.Delete();
    }

    private static Task<SyncServerHost> StartHostAsync(Store store, Action<SyncServerOptions>? configure) => SyncServerHost.StartAsync(
        options =>
        {
            store.Configure(options);
            configure?.Invoke(options);
        },
        MapAll);

    private static void MapAll(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app)
    {
        app.MapSyncResource<Folder>();
        app.MapSyncResource<Note>();
        app.MapSyncResource<Counter>();
        app.MapSyncResource<Badge>();
        app.MapSyncResource<Ticket>();
    }
}
