using OfflineSync.Protocol;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>
/// Gives every request of a test's <see cref="Http.HttpSyncTransport"/> the client's <c>X-Client-Id</c>
/// when the transport did not set one itself (lists and feeds: origins are shown only to their creator).
/// </summary>
public sealed class ClientIdHandler : DelegatingHandler
{
    private readonly string _clientId;

    public ClientIdHandler(string clientId)
        : base(new SocketsHttpHandler())
    {
        _clientId = clientId;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(SyncHeaderNames.ClientId))
        {
            request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, _clientId);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
