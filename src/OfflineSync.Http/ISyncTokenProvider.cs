namespace OfflineSync.Http;

/// <summary>
/// Supplies the access token <see cref="HttpSyncTransport"/> sends with every request, as
/// <c>Authorization: {scheme} {token}</c>. Set it as <see cref="HttpSyncTransportOptions.TokenProvider"/>, or put a
/// <see cref="SyncTokenHandler"/> over it into an <c>IHttpClientFactory</c> client; both behave the same.
/// </summary>
/// <remarks>
/// <para>
/// The transport asks for a token before every request, so return a cached one while it is valid (MSAL's
/// <c>AcquireTokenSilent</c>, <c>Duende.IdentityModel</c>'s token management and Azure.Identity all cache). When the
/// server answers 401, the transport asks once with <c>forceRefresh: true</c> and sends the request again: bypass the
/// cache there (use the refresh token). Concurrent forced refreshes of one transport are joined into one call, so a
/// rotating refresh token is used once.
/// </para>
/// <para>
/// Return <see langword="null"/> when there are no credentials (the user signed out): the request goes without
/// an <c>Authorization</c> header. Throw when the refresh failed: a connection error (an
/// <see cref="HttpRequestException"/>, a <see cref="TimeoutException"/>, …) counts as a transient failure of the
/// request and is retried with backoff; any other exception, like a second 401, makes the client wait with
/// <see cref="SyncStatus.Unauthorized"/> until the app calls <c>SyncClient.NotifyCredentialsChanged()</c>.
/// Bound your own calls in time: the transport waits for a refresh as long as it takes.
/// </para>
/// </remarks>
public interface ISyncTokenProvider
{
    /// <summary>Gets the access token to send.</summary>
    /// <param name="forceRefresh"><see langword="true"/> after the server refused the last token (401): do not return it again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The token, without the scheme; or <see langword="null"/> to send the request without one.</returns>
    ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
