using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OfflineSync.Server;

/// <summary>
/// A reference server in a box: Kestrel on a loopback port over a given SQLite file (or any store the options
/// choose). Tests, demos and benchmarks start one in-process, talk to <see cref="Address"/>, and stop it (or
/// restart it on the same data).
/// </summary>
/// <example>
/// <code>
/// await using var server = await SyncServerHost.StartAsync("server.db", app => app.MapSyncResource&lt;Todo&gt;());
/// var transport = new HttpSyncTransport(server.Address);
/// </code>
/// </example>
public sealed class SyncServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private SyncServerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the base address the server listens on, with a trailing slash, for example <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server over a SQLite file and returns once it accepts connections.</summary>
    /// <param name="databasePath">The SQLite file; created when missing, reused when it exists.</param>
    /// <param name="mapResources">Maps the served entities, for example <c>app =&gt; app.MapSyncResource&lt;Todo&gt;()</c>.</param>
    /// <param name="configure">Adjusts the server options (retention, heartbeat, limits); the database path is already set.</param>
    /// <param name="url">The URL to listen on; the default <c>http://127.0.0.1:0</c> picks a free loopback port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<SyncServerHost> StartAsync(
        string databasePath,
        Action<IEndpointRouteBuilder> mapResources,
        Action<SyncServerOptions>? configure = null,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        return StartAsync(
            options =>
            {
                options.UseSqlite(databasePath);
                configure?.Invoke(options);
            },
            mapResources,
            url,
            cancellationToken);
    }

    /// <summary>Starts a server over the store <paramref name="configure"/> chooses (SQLite in the working directory when it chooses none) and returns once it accepts connections.</summary>
    /// <param name="configure">Chooses the store (<c>o =&gt; o.UsePostgres(connectionString)</c>) and adjusts the server options.</param>
    /// <param name="mapResources">Maps the served entities, for example <c>app =&gt; app.MapSyncResource&lt;Todo&gt;()</c>.</param>
    /// <param name="url">The URL to listen on; the default <c>http://127.0.0.1:0</c> picks a free loopback port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SyncServerHost> StartAsync(
        Action<SyncServerOptions> configure,
        Action<IEndpointRouteBuilder> mapResources,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(mapResources);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddOfflineSyncServer(configure);

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        mapResources(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new SyncServerHost(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <summary>Stops the server, ends open change feeds and releases the database file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
