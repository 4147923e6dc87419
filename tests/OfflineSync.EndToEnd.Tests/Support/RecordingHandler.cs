using System.Net.Http.Headers;
using OfflineSync.Protocol;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>A request a client sent, as it went on the wire: what a hostile client could have seen or guessed.</summary>
internal sealed record RecordedRequest(HttpMethod Method, string PathAndQuery, string? IdempotencyKey, string? ClientId, string? OptimisticId, MediaTypeHeaderValue? ContentType, byte[] Body);

/// <summary>Records every write a real client's transport sends (the feed and lists pass through untouched).</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<RecordedRequest> _writes = new();

    public IReadOnlyList<RecordedRequest> Writes
    {
        get
        {
            lock (_writes)
            {
                return _writes.ToArray();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get)
        {
            byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            lock (_writes)
            {
                _writes.Add(new RecordedRequest(
                    request.Method,
                    request.RequestUri!.PathAndQuery,
                    Header(request, SyncHeaderNames.IdempotencyKey),
                    Header(request, SyncHeaderNames.ClientId),
                    Header(request, SyncHeaderNames.OptimisticId),
                    request.Content?.Headers.ContentType,
                    body));
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.Single() : null;
}
