using System.Diagnostics;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// Adds up the time of every push request (anything but a GET: a single create, update or delete, or a
/// <c>POST /sync/batch</c>) as the client sees it, from sending to the last byte of the answer — the
/// server's work plus loopback HTTP.
/// </summary>
internal sealed class PushTimingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private long _ticks;
    private long _requests;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public long Requests => Interlocked.Read(ref _requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        long start = Stopwatch.GetTimestamp();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _requests);
        return response;
    }
}
