using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Keeps a <see cref="LocalView{TEntity}"/> in step with the server: lists the resource, then
/// follows its change feed from the list's sequence; after a disconnect it lists again (rows
/// deleted meanwhile disappear) and resumes, with exponential backoff between failed attempts (S15,
/// S19, F4). The overlay of pending changes is never touched here.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed class FeedFollower<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Rows per list page.</summary>
    internal const int PageSize = 500;

    /// <summary>Consecutive failures after which the status is <see cref="SyncSetStatus.Offline"/> rather than <see cref="SyncSetStatus.Reconnecting"/>.</summary>
    internal const int OfflineAfterFailures = 3;

    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The shortest time between two refetches that confirmed creates ask for. A reconnecting client
    /// drains its queue while its list is fresh, so every confirmed create asks; each refetch reads
    /// every row, and one per batch made a drain quadratic. The confirmed rows show meanwhile.
    /// </summary>
    internal static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(1);

    private readonly ISyncTransport _transport;
    private readonly LocalView<TEntity> _view;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _maxListBytes;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stop;
    private CancellationTokenSource? _connection;
    private Task _loop = Task.CompletedTask;
    private long _lastSequence;
    private int _refetchRequested;
    private long? _lastRequestedRefetch;
    private ITimer? _refetchTimer;

    /// <summary>Creates a follower; nothing happens until <see cref="Start"/>.</summary>
    /// <param name="transport">The transport; lists and feeds are requested for the view's client (<see cref="LocalView{TEntity}.ClientId"/>).</param>
    /// <param name="view">The view to fill.</param>
    /// <param name="timeProvider">The clock of the backoff and refetch timers.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="maxListBytes">The most row data one list of the resource may bring, all pages together (<see cref="SyncOptions.MaxListBytes"/>).</param>
    public FeedFollower(ISyncTransport transport, LocalView<TEntity> view, TimeProvider timeProvider, ILogger logger, long maxListBytes = SyncOptions.DefaultMaxListBytes)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxListBytes, 1);
        _transport = transport;
        _view = view;
        _timeProvider = timeProvider;
        _logger = logger;
        _maxListBytes = maxListBytes;
        _view.RefetchRequested += RequestRefetch;
    }

    /// <summary>Raised when <see cref="Status"/> changes.</summary>
    public event Action? StatusChanged
    {
        add => _view.StatusChanged += value;
        remove => _view.StatusChanged -= value;
    }

    /// <summary>Gets the state of the feed; the view carries it so sets can show it.</summary>
    public SyncSetStatus Status => _view.Status;

    /// <summary>Gets the sequence of the last event applied (or of the last list); the feed resumes after it.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>Gets whether the follower is running.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _stop is not null;
            }
        }
    }

    /// <summary>Starts following in the background; does nothing when already running.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            CancellationToken token = _stop.Token;
            Task previous = _loop;
            _loop = Task.Run(async () =>
            {
                // A stop followed at once by a start must not run two loops over one view.
                await previous.ConfigureAwait(false);
                await RunAsync(token).ConfigureAwait(false);
            });
        }
    }

    /// <summary>Stops following and waits for the loop to end; the status becomes <see cref="SyncSetStatus.Offline"/>.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        Task loop;
        lock (_gate)
        {
            stop = _stop;
            _stop = null;
            loop = _loop;

            // The next start lists anyway.
            _refetchTimer?.Dispose();
            _refetchTimer = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        finally
        {
            stop.Dispose();
        }

        _view.SetStatus(SyncSetStatus.Offline);
    }

    /// <summary>
    /// Ends the current connection so the loop lists again (the view cannot tell whether a row exists):
    /// at once, or, within <see cref="RefetchInterval"/> of the last such refetch, when it has passed.
    /// </summary>
    private void RequestRefetch()
    {
        lock (_gate)
        {
            if (_refetchTimer is not null)
            {
                return; // The scheduled refetch reads this row too.
            }

            TimeSpan wait = _lastRequestedRefetch is long last ? RefetchInterval - _timeProvider.GetElapsedTime(last) : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                _refetchTimer = _timeProvider.CreateTimer(static state => ((FeedFollower<TEntity>)state!).RefetchScheduled(), this, wait, Timeout.InfiniteTimeSpan);
                return;
            }

            RefetchLocked();
        }
    }

    private void RefetchScheduled()
    {
        lock (_gate)
        {
            _refetchTimer?.Dispose();
            _refetchTimer = null;
            RefetchLocked();
        }
    }

    private void RefetchLocked()
    {
        _lastRequestedRefetch = _timeProvider.GetTimestamp();
        Volatile.Write(ref _refetchRequested, 1);

        // Asynchronously: the view raised this on the engine's thread, which must not run the loop.
        _ = _connection?.CancelAsync();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            bool sawEvent = false;
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lock (_gate)
            {
                _connection = connection;
            }

            try
            {
                // Every (re)connection starts from a fresh list: rows that vanished while the client was
                // away disappear, and the feed resumes from the point the list is consistent with.
                Volatile.Write(ref _refetchRequested, 0);
                await RefetchAsync(connection.Token).ConfigureAwait(false);
                failures = 0;
                _view.SetStatus(SyncSetStatus.Live);
                await foreach (ChangeEvent change in _transport.FollowAsync(TEntity.ResourceName, LastSequence, _view.ClientId, connection.Token).ConfigureAwait(false))
                {
                    sawEvent = true;
                    if (change.Kind == ChangeKind.Invalidate)
                    {
                        // Past the server's retention (S19): relist, then follow from the event's sequence.
                        _logger.LogInformation("The {Resource} feed was invalidated at {Sequence}; refetching.", TEntity.ResourceName, change.Sequence);
                        await RefetchAsync(connection.Token).ConfigureAwait(false);
                        Interlocked.Exchange(ref _lastSequence, Math.Max(change.Sequence, LastSequence));
                        continue;
                    }

                    _view.ApplyEvent(change);
                    Interlocked.Exchange(ref _lastSequence, change.Sequence);
                }

                // The server closed the stream: reconnect at once after a live connection, back off after an empty one.
                if (!sawEvent)
                {
                    failures++;
                }

                _view.SetStatus(failures >= OfflineAfterFailures ? SyncSetStatus.Offline : SyncSetStatus.Reconnecting);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (Volatile.Read(ref _refetchRequested) == 1)
            {
                continue;
            }
            catch (Exception exception)
            {
                failures++;
                bool transient = TransientErrors.IsTransient(exception);
                _logger.LogWarning(exception, "Following the {Resource} feed failed (attempt {Failures}).", TEntity.ResourceName, failures);
                _view.SetStatus(!transient ? SyncSetStatus.Error
                    : failures >= OfflineAfterFailures ? SyncSetStatus.Offline
                    : SyncSetStatus.Reconnecting);
                if (!transient)
                {
                    failures = Math.Max(failures, 30); // straight to the longest delay
                }
            }
            finally
            {
                lock (_gate)
                {
                    _connection = null;
                }
            }

            if (failures > 0)
            {
                try
                {
                    await Task.Delay(Backoff(failures), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Lists every page and replaces the view's server rows; the feed then resumes from the oldest page's sequence.
    /// A server that pages without advancing, or lists more than <see cref="SyncOptions.MaxListBytes"/>, fails the
    /// list with a <see cref="ListRefusedException"/> (the set shows <see cref="SyncSetStatus.Error"/>) and the rows stay.
    /// </summary>
    private async Task RefetchAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ListItem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        long sequence = long.MaxValue;
        long bytes = 0;
        _view.BeginList();
        while (true)
        {
            ListPage page = await _transport.ListAsync(TEntity.ResourceName, after, PageSize, _view.ClientId, cancellationToken).ConfigureAwait(false);
            foreach (ListItem item in page.Items)
            {
                bytes += item.Data.Length + item.Key.Length;
            }

            if (bytes > _maxListBytes)
            {
                throw new ListRefusedException($"Listing '{TEntity.ResourceName}' brought more than SyncOptions.MaxListBytes ({_maxListBytes} bytes) of rows; raise the limit if the resource is that large.");
            }

            int added = 0;
            foreach (ListItem item in page.Items)
            {
                added += keys.Add(item.Key) ? 1 : 0;
            }

            rows.AddRange(page.Items);

            // Pages read at different moments: following from the oldest replays a few events, which is harmless.
            sequence = Math.Min(sequence, page.Sequence);
            if (!page.HasMore || page.Items.Count == 0)
            {
                break;
            }

            // A page without a key not seen before says more follow, yet asking after its last key could only
            // bring the same rows again, forever.
            if (added == 0)
            {
                throw new ListRefusedException($"Listing '{TEntity.ResourceName}' does not advance: the page after '{after}' holds no new row and says more follow.");
            }

            after = page.Items[^1].Key;
        }

        _view.ReplaceServerRows(rows);
        Interlocked.Exchange(ref _lastSequence, sequence);
    }

    /// <summary>The delay before attempt <paramref name="failures"/> + 1: base 1 s doubling to 60 s, lowered by up to 20 % of jitter so clients spread out.</summary>
    internal static TimeSpan Backoff(int failures)
    {
        double seconds = Math.Min(MaxDelay.TotalSeconds, BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        return TimeSpan.FromSeconds(seconds * (1 - (Random.Shared.NextDouble() * 0.2)));
    }
}
