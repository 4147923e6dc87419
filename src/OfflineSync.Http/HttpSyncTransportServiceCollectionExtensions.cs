using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineSync;
using OfflineSync.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="HttpSyncTransport"/> with <c>IHttpClientFactory</c>.</summary>
public static class HttpSyncTransportServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the transport uses.</summary>
    public const string HttpClientName = "OfflineSync";

    /// <summary>
    /// Registers a singleton <see cref="ISyncTransport"/> that talks to the server at
    /// <paramref name="baseAddress"/> through a named <see cref="HttpClient"/>. Its options are
    /// <see cref="IOptions{TOptions}">IOptions&lt;HttpSyncTransportOptions&gt;</see>, validated when the host starts: an
    /// invalid option fails the start with an <see cref="OptionsValidationException"/> that names it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="baseAddress">The server's root URL.</param>
    /// <param name="configure">Adjusts the transport options; <c>services.Configure&lt;HttpSyncTransportOptions&gt;(…)</c> does too.</param>
    /// <returns>The client builder: add handlers there, for example <c>.AddHttpMessageHandler&lt;AuthHandler&gt;()</c> to set an <c>Authorization</c> header.</returns>
    public static IHttpClientBuilder AddHttpSyncTransport(this IServiceCollection services, Uri baseAddress, Action<HttpSyncTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        OptionsBuilder<HttpSyncTransportOptions> options = services.AddOptions<HttpSyncTransportOptions>()
            .Configure<IServiceProvider>(static (o, provider) =>
            {
                o.LoggerFactory ??= provider.GetService<ILoggerFactory>();
                o.MeterFactory ??= provider.GetService<IMeterFactory>();
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpSyncTransportOptions>, HttpSyncTransportOptionsValidator>());
        IHttpClientBuilder builder = services.AddHttpClient(HttpClientName, client =>
            {
                client.BaseAddress = baseAddress;
                client.Timeout = TimeSpan.FromSeconds(30);
            })
            // The transport is a long-lived singleton: the pooled handler recycles connections instead of
            // the factory rotating handlers under it, so DNS changes are still picked up.
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<ISyncTransport>(static sp => new HttpSyncTransport(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<HttpSyncTransportOptions>>().Value));
        return builder;
    }
}
