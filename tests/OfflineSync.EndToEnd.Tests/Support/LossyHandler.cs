namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// A client's HTTP handler that makes the network's bad moments happen on cue: it can hold every
/// change-feed request (the feed is down, so the view learns nothing the client did not push), and
/// lose the answer to one request after the server handled it.
/// </summary>
internal sealed class LossyHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly TaskCompletionSource _feedsReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<HttpRequestMessage, bool>? _loseAnswerTo;
    private int _lostAnswers;

    /// <summary>Gets how many answers were lost.</summary>
    public int LostAnswers => Volatile.Read(ref _lostAnswers);

    /// <summary>Loses the answer to the next request that <paramref name="match"/> accepts: the server handles it, the client sees a connection error.</summary>
    public void LoseNextAnswer(Func<HttpRequestMessage, bool> match) => Volatile.Write(ref _loseAnswerTo, match);

    /// <summary>Lets the held change feeds (and every later one) through.</summary>
    public void ReleaseFeeds() => _feedsReleased.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal))
        {
            await _feedsReleased.Task.WaitAsync(cancellationToken);
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        Func<HttpRequestMessage, bool>? lose = Volatile.Read(ref _loseAnswerTo);
        if (lose is not null && lose(request) && Interlocked.CompareExchange(ref _loseAnswerTo, null, lose) == lose)
        {
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            response.Dispose();
            Interlocked.Increment(ref _lostAnswers);
            throw new HttpRequestException("The connection was reset before the answer arrived (LossyHandler).");
        }

        return response;
    }

    protected override void Dispose(bool disposing)
    {
        ReleaseFeeds();
        base.Dispose(disposing);
    }
}
