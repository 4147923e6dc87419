using System.Diagnostics;

namespace OfflineSync.Benchmarks.Server;

/// <summary>Times each <c>POST /sync/batch</c> as the client sees it: from sending to the last byte of the answer.</summary>
internal sealed class BatchTimingHandler : DelegatingHandler
{
    private readonly LatencyRecorder _recorder;

    public BatchTimingHandler(LatencyRecorder recorder)
        : base(new SocketsHttpHandler()) => _recorder = recorder;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath.EndsWith("/sync/batch", StringComparison.Ordinal) != true)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        long start = Stopwatch.GetTimestamp();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        _recorder.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return response;
    }
}
