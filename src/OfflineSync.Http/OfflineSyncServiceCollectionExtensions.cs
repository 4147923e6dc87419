using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineSync;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an OfflineSync client that syncs with a server over HTTP.</summary>
public static class OfflineSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the app's typed client <typeparamref name="TClient"/> (its <c>[SyncClient]</c> class) as a
    /// singleton over an <see cref="OfflineSync.Http.HttpSyncTransport"/> to <paramref name="serverAddress"/>,
    /// through the <c>IHttpClientFactory</c> client of
    /// <see cref="HttpSyncTransportServiceCollectionExtensions.AddHttpSyncTransport"/>. The options are the named
    /// options <see cref="IOptionsMonitor{TOptions}">IOptionsMonitor&lt;SyncOptions&gt;</see> of the name
    /// <see cref="OptionsName{TClient}"/>; they start with that transport and the container's
    /// <see cref="ILoggerFactory"/>, <see cref="IMeterFactory"/> and <see cref="TimeProvider"/> (when registered);
    /// <paramref name="configure"/> sets the rest, for example the store. They are validated when the host starts: an
    /// invalid option fails the start with an <see cref="OptionsValidationException"/> that names it. The container
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
        string name = OptionsName<TClient>();
        services.AddOptions<SyncOptions>(name)
            .Configure<IServiceProvider>((options, provider) =>
            {
                options.Transport = provider.GetRequiredService<ISyncTransport>();
                options.LoggerFactory = provider.GetService<ILoggerFactory>();
                options.MeterFactory = provider.GetService<IMeterFactory>();
                options.TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System;
                configure?.Invoke(provider, options);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>());
        services.TryAddSingleton(provider => createClient(provider.GetRequiredService<IOptionsMonitor<SyncOptions>>().Get(name)));
        return http;
    }

    /// <summary>
    /// Gets the name of the <see cref="SyncOptions"/> that <see cref="AddOfflineSync"/> registers for
    /// <typeparamref name="TClient"/>, for <c>services.Configure&lt;SyncOptions&gt;(name, …)</c> or
    /// <c>IOptionsMonitor&lt;SyncOptions&gt;.Get(name)</c>: the client type's full name, so two clients of one app keep
    /// their own options and stores.
    /// </summary>
    /// <typeparam name="TClient">The generated client type.</typeparam>
    /// <returns>The options name.</returns>
    public static string OptionsName<TClient>()
        where TClient : SyncClient => typeof(TClient).FullName ?? typeof(TClient).Name;
}
