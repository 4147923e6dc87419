using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OfflineSync;
using OfflineSync.Protocol;
using OfflineSync.Server;
using OfflineSync.Server.Endpoints;
using OfflineSync.Server.Feed;
using OfflineSync.Server.Resources;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OfflineSync protocol endpoints (docs/protocol.md).</summary>
public static class SyncEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves entity <typeparamref name="T"/> (a <c>[Syncable]</c> type) under <c>/sync/{resource}</c>:
    /// create, update, delete, read, list and the change feed. The first call also maps
    /// <c>POST /sync/batch</c>, which dispatches to every mapped resource and holds each item to the
    /// conventions of its resource's endpoints (authorization, host, CORS), refusing a resource with conventions it
    /// cannot apply (endpoint filters, rate limiting).
    /// </summary>
    /// <typeparam name="T">The entity type; its generated static members describe it.</typeparam>
    /// <param name="endpoints">The app or a route group.</param>
    /// <returns>The resource's endpoints, to add conventions such as <c>RequireAuthorization()</c> and row policies such as <c>OwnedBy(...)</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddOfflineSyncServer</c> was not called, or the resource is mapped twice or is named <c>batch</c>.</exception>
    public static SyncResourceBuilder<T> MapSyncResource<T>(this IEndpointRouteBuilder endpoints)
        where T : class, ISyncEntity<T>
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        SyncServerState state = endpoints.ServiceProvider.GetService<SyncServerState>()
            ?? throw new InvalidOperationException("Call builder.Services.AddOfflineSyncServer(...) before MapSyncResource<T>().");
        string name = T.ResourceName;
        if (string.IsNullOrEmpty(name) || name == SyncRoutes.Batch || name.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{name}' cannot be a resource name: it must be non-empty, contain no '/', and not be 'batch'.");
        }

        var resource = new SyncResource<T>();
        state.Add(resource);
        if (!state.BatchMapped)
        {
            state.BatchMapped = true;
            var batch = new BatchEndpoint(state);
            endpoints.MapPost($"/{SyncRoutes.Root}/{SyncRoutes.Batch}", batch.HandleAsync).WithDisplayName("OfflineSync batch")
                .Finally(builder =>
                {
                    state.BatchMetadata = builder.Metadata.ToArray();
                    state.BatchFilters = builder.FilterFactories.ToArray();
                });
        }

        var handlers = new ResourceEndpoints(state, resource);
        var feed = new FeedEndpoint(state, resource);
        RouteGroupBuilder group = endpoints.MapGroup($"/{SyncRoutes.Root}/{name}");
        group.MapPost("/", handlers.CreateAsync).WithDisplayName($"OfflineSync create {name}")
            .Finally(builder =>
            {
                resource.EndpointMetadata = builder.Metadata.ToArray();
                resource.EndpointFilters = builder.FilterFactories.ToArray();
            });
        group.MapGet("/", handlers.ListAsync).WithDisplayName($"OfflineSync list {name}");
        group.MapGet("/" + SyncRoutes.Events, feed.HandleAsync).WithDisplayName($"OfflineSync feed {name}");
        group.MapGet("/{key}", handlers.GetAsync).WithDisplayName($"OfflineSync get {name}");
        group.MapPatch("/{key}", handlers.UpdateAsync).WithDisplayName($"OfflineSync update {name}");
        group.MapDelete("/{key}", handlers.DeleteAsync).WithDisplayName($"OfflineSync delete {name}");
        return new SyncResourceBuilder<T>(group, resource);
    }
}
