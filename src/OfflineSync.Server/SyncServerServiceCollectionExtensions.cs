using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OfflineSync.Server;
using OfflineSync.Server.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OfflineSync reference server.</summary>
public static class SyncServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server's services: options, the SQLite store (opened when the first resource is
    /// mapped), RFC 9457 problem details, and a first middleware that answers requests over
    /// <see cref="SyncServerOptions.MaxUrlLength"/> or <see cref="SyncServerOptions.MaxRequestHeadersSize"/>
    /// with problem details (Kestrel's own limits are raised above those, never lowered). Map the resources with
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

        // Requests over the URL and header limits get problem details, not Kestrel's empty 414/431.
        services.AddSingleton<SyncRequestLimits>();
        services.AddSingleton<IStartupFilter>(static provider => provider.GetRequiredService<SyncRequestLimits>());
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(static provider => provider.GetRequiredService<SyncRequestLimits>());
        return services;
    }
}
