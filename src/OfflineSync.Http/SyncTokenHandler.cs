namespace OfflineSync.Http;

/// <summary>
/// A <see cref="DelegatingHandler"/> that sets <c>Authorization: {scheme} {token}</c> from an
/// <see cref="ISyncTokenProvider"/>, for an <c>IHttpClientFactory</c> client
/// (<c>AddHttpSyncTransport(...).AddSyncTokenHandler&lt;MyTokenProvider&gt;()</c>). On the one re-send after a 401,
/// which <see cref="HttpSyncTransport"/> marks with <see cref="HttpSyncTransport.RefreshCredentialsOption"/>, it asks
/// the provider for a fresh token.
/// </summary>
/// <remarks>
/// A handler of your own works as well: read <see cref="HttpSyncTransport.RefreshCredentialsOption"/> from
/// <see cref="HttpRequestMessage.Options"/> and renew the token when it is set. Whichever sets the header, the transport
/// answers a 401 the same way: one re-send, then <see cref="SyncStatus.Unauthorized"/>.
/// </remarks>
public sealed class SyncTokenHandler : DelegatingHandler
{
    private readonly TokenAuthorizer _authorizer;

    /// <summary>Creates the handler.</summary>
    /// <param name="provider">The token provider.</param>
    /// <param name="scheme">The scheme of the <c>Authorization</c> header.</param>
    public SyncTokenHandler(ISyncTokenProvider provider, string scheme = HttpSyncTransportOptions.DefaultAuthenticationScheme)
    {
        _authorizer = new TokenAuthorizer(provider, scheme);
    }

    /// <inheritdoc/>
    /// <exception cref="SyncUnauthorizedException">The provider failed with an error that is not a connection error or a timeout.</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool refresh = request.Options.TryGetValue(HttpSyncTransport.RefreshCredentialsOption, out bool value) && value;
        await _authorizer.AuthorizeAsync(request, refresh, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
