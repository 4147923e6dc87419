using Microsoft.AspNetCore.Routing;
using OfflineSync.Server;
using TodoApp.Model;

namespace TodoApp.Server;

/// <summary>The TodoApp reference server: the four resources of the model, hostable in-process.</summary>
public static class TodoServer
{
    /// <summary>Maps <c>categories</c>, <c>todos</c>, <c>tags</c> and <c>users</c> (and <c>POST /sync/batch</c>).</summary>
    public static IEndpointRouteBuilder MapTodoResources(this IEndpointRouteBuilder app)
    {
        app.MapSyncResource<Category>();
        app.MapSyncResource<Todo>();
        app.MapSyncResource<Tag>();
        app.MapSyncResource<User>();
        return app;
    }

    /// <summary>
    /// Starts the server in-process on a free loopback port (or <paramref name="url"/>) over
    /// <paramref name="databasePath"/>; dispose the result to stop it. Start it again on the same file to
    /// simulate a restart.
    /// </summary>
    public static Task<SyncServerHost> StartAsync(
        string databasePath,
        Action<SyncServerOptions>? configure = null,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default) =>
        SyncServerHost.StartAsync(databasePath, static app => app.MapTodoResources(), configure, url, cancellationToken);

    /// <summary>
    /// Starts the server in-process over the store <paramref name="configure"/> chooses, for example
    /// <c>o =&gt; o.UsePostgres(connectionString)</c>; start several on one PostgreSQL database to run several instances.
    /// </summary>
    public static Task<SyncServerHost> StartAsync(
        Action<SyncServerOptions> configure,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default) =>
        SyncServerHost.StartAsync(configure, static app => app.MapTodoResources(), url, cancellationToken);
}
