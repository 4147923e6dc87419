using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Feed;

/// <summary>
/// Counts the open change feeds of this server instance, per client and in all, and admits a new one only under
/// <see cref="SyncServerOptions.MaxFeedsPerClient"/> and <see cref="SyncServerOptions.MaxFeeds"/>: each feed holds a
/// connection and, while it sends, a page of rows, so their number is what bounds the memory feeds take. A refused
/// feed is told when to try again: after <see cref="SyncServerOptions.HeartbeatInterval"/>, by when the server has
/// noticed the connections of a client that left without closing them.
/// </summary>
internal sealed class FeedAdmission
{
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly int _maxPerClient;
    private readonly int _max;
    private readonly TimeSpan _retryAfter;
    private int _open;

    public FeedAdmission(SyncServerOptions options)
    {
        _maxPerClient = options.MaxFeedsPerClient;
        _max = options.MaxFeeds;
        _retryAfter = options.HeartbeatInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.HeartbeatInterval;
    }

    /// <summary>Gets the number of open feeds.</summary>
    public int Open
    {
        get
        {
            lock (_perClient)
            {
                return _open;
            }
        }
    }

    /// <summary>Admits a feed of <paramref name="client"/>: the lease that ends it, or the 503 problem to answer.</summary>
    /// <param name="client">Who the feed counts against: the client id, or the caller's address when it sends none.</param>
    /// <param name="refusal">The problem when the feed is refused.</param>
    public IDisposable? TryEnter(string client, out SyncProblem? refusal)
    {
        lock (_perClient)
        {
            int mine = _perClient.GetValueOrDefault(client);
            if (mine >= _maxPerClient)
            {
                refusal = SyncProblem.TooManyFeeds($"This client has {mine} change feeds open, the most it may (MaxFeedsPerClient); try again when one has closed.", _retryAfter);
                return null;
            }

            if (_open >= _max)
            {
                refusal = SyncProblem.TooManyFeeds($"The server has {_open} change feeds open, the most it may (MaxFeeds); try again later.", _retryAfter);
                return null;
            }

            _perClient[client] = mine + 1;
            _open++;
        }

        refusal = null;
        return new Lease(this, client);
    }

    private void Leave(string client)
    {
        lock (_perClient)
        {
            _open--;
            int left = _perClient[client] - 1;
            if (left == 0)
            {
                _perClient.Remove(client);
            }
            else
            {
                _perClient[client] = left;
            }
        }
    }

    private sealed class Lease(FeedAdmission admission, string client) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                admission.Leave(client);
            }
        }
    }
}
