using Microsoft.Extensions.Options;
using OfflineSync.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OfflineSync reference server.</summary>
public static class SyncServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server's services: options, the SQLite store (opened when the first resource is
    /// mapped) and RFC 9457 problem details. Map the resources with
    /// <see cref="Microsoft.AspNetCore.Builder.SyncEndpointRouteBuilderExtensions.MapSyncResource{T}"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures <see cref="SyncServerOptions"/>, for example the database path.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddOfflineSyncServer(this IServiceCollection services, Action<SyncServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<SyncServerOptions> options = services.AddOptions<SyncServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(static o =>
        {
            o.Validate();
            return true;
        });
        services.AddProblemDetails();
        services.AddSingleton<SyncServerState>();
        return services;
    }
}
