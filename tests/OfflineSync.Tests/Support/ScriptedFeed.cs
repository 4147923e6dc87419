using System.Runtime.CompilerServices;

namespace OfflineSync.Tests.Support;

/// <summary>
/// A controllable server side for the list and the change feed: rows and an event log per
/// resource, a connection the test can drop and restore, a retention floor that forces
/// <c>invalidate</c>, and raw scripted events. Pushes are not its job (the engine tests'
/// <c>ScriptedTransport</c> scripts them); <see cref="PushAsync"/> throws.
/// </summary>
internal sealed class ScriptedFeed : ISyncTransport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, ListItem>> _rows = new(StringComparer.Ordinal);
    private readonly List<ChangeEvent> _log = new();
    private readonly List<long> _followCalls = new();
    private readonly List<(string Resource, long After)> _follows = new();
    private readonly Dictionary<string, int> _listsByResource = new(StringComparer.Ordinal);
    private CancellationTokenSource _connection = new();
    private TaskCompletionSource _appended = NewSignal();
    private bool _connected = true;
    private long _sequence;
    private long _retainedAfter;
    private int _listCalls;

    /// <summary>Gets how many list pages were requested.</summary>
    public int ListCalls => Volatile.Read(ref _listCalls);

    /// <summary>Gets the sequence each <see cref="FollowAsync"/> call resumed after, in order.</summary>
    public IReadOnlyList<long> FollowCalls
    {
        get
        {
            lock (_gate)
            {
                return _followCalls.ToArray();
            }
        }
    }

    /// <summary>Gets how many list pages of <paramref name="resource"/> were requested.</summary>
    public int ListCallsOf(string resource)
    {
        lock (_gate)
        {
            return _listsByResource.GetValueOrDefault(resource);
        }
    }

    /// <summary>Gets the sequence each <see cref="FollowAsync"/> call of <paramref name="resource"/> resumed after, in order.</summary>
    public IReadOnlyList<long> FollowCallsOf(string resource)
    {
        lock (_gate)
        {
            return _follows.Where(f => f.Resource == resource).Select(static f => f.After).ToArray();
        }
    }

    /// <summary>Gets or sets the page size the server uses, whatever the client asks for.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Gets the sequence of the last event.</summary>
    public long Sequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Gets whether the connection is up.</summary>
    public bool Connected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    /// <summary>Drops the connection: open feeds fail with <see cref="IOException"/>, and so does every call until <see cref="Reconnect"/>.</summary>
    public void Disconnect()
    {
        CancellationTokenSource dropped;
        lock (_gate)
        {
            _connected = false;
            dropped = _connection;
            _connection = new CancellationTokenSource();
        }

        dropped.Cancel();
    }

    /// <summary>Restores the connection.</summary>
    public void Reconnect()
    {
        lock (_gate)
        {
            _connected = true;
        }
    }

    /// <summary>
    /// Creates or replaces a row and logs <paramref name="kind"/> (<c>added</c> or <c>changed</c>) with the full row. Like
    /// the reference server, its <paramref name="origin"/> goes only to <paramref name="originClientId"/>, the row's creator (S3).
    /// </summary>
    public long Put(string resource, string key, string? origin, string? version, ReadOnlyMemory<byte> data, ChangeKind kind = ChangeKind.Added, string? originClientId = null)
    {
        lock (_gate)
        {
            RowsOf(resource)[key] = new ListItem(key, origin, version, data) { OriginClientId = originClientId };
            return AppendLocked(new ChangeEvent(resource, kind, 0, key, origin, version, data) { OriginClientId = originClientId });
        }
    }

    /// <summary>Deletes a row and logs <c>removed</c>.</summary>
    public long Remove(string resource, string key)
    {
        lock (_gate)
        {
            ListItem? row = RowsOf(resource).GetValueOrDefault(key);
            RowsOf(resource).Remove(key);
            return AppendLocked(new ChangeEvent(resource, ChangeKind.Removed, 0, key, row?.OriginOptimisticKey, null, default) { OriginClientId = row?.OriginClientId });
        }
    }

    /// <summary>Deletes a row without logging anything, as if its events were lost to retention.</summary>
    public void RemoveSilently(string resource, string key)
    {
        lock (_gate)
        {
            RowsOf(resource).Remove(key);
        }
    }

    /// <summary>Logs a raw event (its sequence is assigned here) without touching the rows; its origin too goes only to its <see cref="ChangeEvent.OriginClientId"/>.</summary>
    public long Emit(ChangeEvent change)
    {
        lock (_gate)
        {
            return AppendLocked(change);
        }
    }

    /// <summary>Forgets events up to the current sequence: a client behind it gets <c>invalidate</c> (S19).</summary>
    public void ForgetHistory()
    {
        lock (_gate)
        {
            _retainedAfter = _sequence;
        }
    }

    /// <summary>Gets the rows of a resource as the server holds them.</summary>
    public IReadOnlyList<ListItem> Rows(string resource)
    {
        lock (_gate)
        {
            return RowsOf(resource).Values.ToArray();
        }
    }

    public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken) =>
        throw new NotSupportedException("ScriptedFeed scripts the list and the feed only.");

    public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listCalls);
        lock (_gate)
        {
            _listsByResource[resource] = _listsByResource.GetValueOrDefault(resource) + 1;
            if (!_connected)
            {
                throw new IOException("Scripted disconnect.");
            }

            ListItem[] rows = RowsOf(resource).Values
                .Where(row => after is null || string.CompareOrdinal(row.Key, after) > 0)
                .Take(Math.Min(limit, PageSize) + 1)
                .Select(row => row.OriginClientId == clientId ? row : row with { OriginOptimisticKey = null, OriginClientId = null })
                .ToArray();
            bool hasMore = rows.Length > Math.Min(limit, PageSize);
            return Task.FromResult(new ListPage(rows.Take(Math.Min(limit, PageSize)).ToArray(), _sequence, hasMore));
        }
    }

    public async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CancellationToken connection;
        var pending = new List<ChangeEvent>();
        lock (_gate)
        {
            _followCalls.Add(afterSequence);
            _follows.Add((resource, afterSequence));
            if (!_connected)
            {
                throw new IOException("Scripted disconnect.");
            }

            connection = _connection.Token;
            if (afterSequence == 0)
            {
                pending.AddRange(RowsOf(resource).Values.Select(row =>
                    new ChangeEvent(resource, ChangeKind.Existing, _sequence, row.Key, row.OriginOptimisticKey, row.Version, row.Data) { OriginClientId = row.OriginClientId }));
                afterSequence = _sequence;
            }
            else if (afterSequence < _retainedAfter)
            {
                pending.Add(new ChangeEvent(resource, ChangeKind.Invalidate, _sequence, null, null, null, default));
                afterSequence = _sequence;
            }
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection);
        long position = afterSequence;
        while (true)
        {
            foreach (ChangeEvent change in pending)
            {
                yield return change.OriginClientId == clientId ? change : change with { OriginOptimisticKey = null, OriginClientId = null };
            }

            pending.Clear();
            Task appended;
            lock (_gate)
            {
                foreach (ChangeEvent change in _log)
                {
                    if (change.Sequence > position && change.Resource == resource)
                    {
                        pending.Add(change);
                    }
                }

                position = _sequence;
                appended = _appended.Task;
            }

            if (pending.Count > 0)
            {
                continue;
            }

            try
            {
                await appended.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException("Scripted disconnect.");
            }
        }
    }

    private SortedDictionary<string, ListItem> RowsOf(string resource)
    {
        if (!_rows.TryGetValue(resource, out SortedDictionary<string, ListItem>? rows))
        {
            _rows[resource] = rows = new SortedDictionary<string, ListItem>(StringComparer.Ordinal);
        }

        return rows;
    }

    private long AppendLocked(ChangeEvent change)
    {
        _sequence++;
        _log.Add(change with { Sequence = _sequence });
        TaskCompletionSource signal = _appended;
        _appended = NewSignal();
        signal.TrySetResult();
        return _sequence;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
