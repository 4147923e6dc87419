using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OfflineSync.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a <see cref="SyncTokenHandler"/> to the <c>IHttpClientFactory</c> client of the OfflineSync transport.</summary>
public static class SyncTokenHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="SyncTokenHandler"/> over <typeparamref name="TProvider"/>, registered as a singleton unless it
    /// is registered already: every request of the transport carries its token, and a 401 is answered with one
    /// refresh and one re-send.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services
    ///     .AddOfflineSync(new Uri("https://sync.example.com/"), options => new TodoSync(options))
    ///     .AddSyncTokenHandler&lt;MsalTokenProvider&gt;();
    /// </code>
    /// </example>
    /// <typeparam name="TProvider">The token provider.</typeparam>
    /// <param name="builder">The client builder of <c>AddHttpSyncTransport</c> or <c>AddOfflineSync</c>.</param>
    /// <param name="scheme">The scheme of the <c>Authorization</c> header.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddSyncTokenHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(this IHttpClientBuilder builder, string scheme = HttpSyncTransportOptions.DefaultAuthenticationScheme)
        where TProvider : class, ISyncTokenProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TProvider>();
        return builder.AddSyncTokenHandler(static services => services.GetRequiredService<TProvider>(), scheme);
    }

    /// <summary>Adds a <see cref="SyncTokenHandler"/> over the token provider <paramref name="provider"/> returns.</summary>
    /// <param name="builder">The client builder of <c>AddHttpSyncTransport</c> or <c>AddOfflineSync</c>.</param>
    /// <param name="provider">Gets the token provider from the services.</param>
    /// <param name="scheme">The scheme of the <c>Authorization</c> header.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddSyncTokenHandler(this IHttpClientBuilder builder, Func<IServiceProvider, ISyncTokenProvider> provider, string scheme = HttpSyncTransportOptions.DefaultAuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        return builder.AddHttpMessageHandler(services => new SyncTokenHandler(provider(services), scheme));
    }
}
