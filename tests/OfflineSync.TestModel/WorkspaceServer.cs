using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OfflineSync.Server;

namespace OfflineSync.TestModel;

/// <summary>The reference server serving the test model, in-process on a loopback port.</summary>
public static class WorkspaceServer
{
    /// <summary>The resources of the model, parents before children.</summary>
    public static IReadOnlyList<string> Resources { get; } = [Board.ResourceName, Card.ResourceName, Sheet.ResourceName, Sticker.ResourceName];

    /// <summary>Maps <c>boards</c>, <c>cards</c>, <c>sheets</c> and <c>stickers</c> (and <c>POST /sync/batch</c>).</summary>
    public static IEndpointRouteBuilder MapWorkspace(this IEndpointRouteBuilder app)
    {
        app.MapSyncResource<Board>();
        app.MapSyncResource<Card>();
        app.MapSyncResource<Sheet>();
        app.MapSyncResource<Sticker>();
        return app;
    }

    /// <summary>Starts the server on <paramref name="databasePath"/> and a free loopback port (or <paramref name="url"/>).</summary>
    public static Task<SyncServerHost> StartAsync(
        string databasePath,
        Action<SyncServerOptions>? configure = null,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default) =>
        SyncServerHost.StartAsync(databasePath, static app => app.MapWorkspace(), configure, url, cancellationToken);
}
