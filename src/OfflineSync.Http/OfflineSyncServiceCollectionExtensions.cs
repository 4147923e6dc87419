using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OfflineSync;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an OfflineSync client that syncs with a server over HTTP.</summary>
public static class OfflineSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the app's typed client <typeparamref name="TClient"/> (its <c>[SyncClient]</c> class) as a
    /// singleton over an <see cref="OfflineSync.Http.HttpSyncTransport"/> to <paramref name="serverAddress"/>,
    /// through the <c>IHttpClientFactory</c> client of
    /// <see cref="HttpSyncTransportServiceCollectionExtensions.AddHttpSyncTransport"/>. The options start with
    /// that transport, the container's <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> (when
    /// registered); <paramref name="configure"/> sets the rest, for example the store. The container
    /// disposes the client, and with it the store.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services
    ///     .AddOfflineSync(new Uri("https://sync.example.com/"), options => new TodoSync(options),
    ///         (_, options) => options.Store = SqliteMutationStore.Open("todo-queue.db"))
    ///     .AddHttpMessageHandler&lt;AuthHandler&gt;();
    /// </code>
    /// </example>
    /// <typeparam name="TClient">The generated client type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="serverAddress">The server's root URL.</param>
    /// <param name="createClient">Creates the client from its options: <c>options =&gt; new TodoSync(options)</c>.</param>
    /// <param name="configure">Sets the options (store, conflict strategy, client id, …) before the client is created.</param>
    /// <returns>The HTTP client builder: add handlers there, for example to set an <c>Authorization</c> header.</returns>
    public static IHttpClientBuilder AddOfflineSync<TClient>(
        this IServiceCollection services,
        Uri serverAddress,
        Func<SyncOptions, TClient> createClient,
        Action<IServiceProvider, SyncOptions>? configure = null)
        where TClient : SyncClient
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serverAddress);
        ArgumentNullException.ThrowIfNull(createClient);
        IHttpClientBuilder http = services.AddHttpSyncTransport(serverAddress);
        services.TryAddSingleton(provider =>
        {
            var options = new SyncOptions
            {
                Transport = provider.GetRequiredService<ISyncTransport>(),
                LoggerFactory = provider.GetService<ILoggerFactory>(),
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
            };
            configure?.Invoke(provider, options);
            return createClient(options);
        });
        return http;
    }
}
