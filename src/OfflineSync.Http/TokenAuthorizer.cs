using System.Net.Http.Headers;

namespace OfflineSync.Http;

/// <summary>
/// Puts an <see cref="ISyncTokenProvider"/>'s token on requests: the one rule of <see cref="HttpSyncTransport"/> and
/// <see cref="SyncTokenHandler"/>. Forced refreshes that overlap are joined, so a burst of 401s (the drain and every
/// feed at once, when a token expires) refreshes once.
/// </summary>
internal sealed class TokenAuthorizer
{
    private readonly ISyncTokenProvider _provider;
    private readonly string _scheme;
    private readonly Lock _gate = new();
    private Task<string?>? _refreshing;

    public TokenAuthorizer(ISyncTokenProvider provider, string scheme)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        _provider = provider;
        _scheme = scheme;
    }

    /// <summary>Sets the request's <c>Authorization</c> header from the provider.</summary>
    /// <exception cref="SyncUnauthorizedException">The provider failed with an error that is not a connection error or a timeout.</exception>
    public async ValueTask AuthorizeAsync(HttpRequestMessage request, bool refresh, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = refresh
                ? await RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false)
                : await _provider.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (!TransientErrors.IsTransient(e) && SyncUnauthorizedException.Find(e) is null)
        {
            // A connection error of the identity provider is retried like the server's; anything else needs the app.
            throw new SyncUnauthorizedException($"The token provider ({_provider.GetType().Name}) failed: {e.GetType().Name}: {e.Message}", e);
        }

        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue(_scheme, token);
    }

    private Task<string?> RefreshAsync()
    {
        lock (_gate)
        {
            if (_refreshing is null || _refreshing.IsCompleted)
            {
                // Not cancelled by the first caller: the others wait for the same refresh.
                _refreshing = _provider.GetTokenAsync(forceRefresh: true, CancellationToken.None).AsTask();
            }

            return _refreshing;
        }
    }
}
