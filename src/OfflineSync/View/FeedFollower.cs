using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Keeps a <see cref="LocalView{TEntity}"/> in step with the server (S15, S19, F4): follows the resource's change feed
/// from the last sequence the view applied, so a dropped stream, going online again or a restart costs the changes
/// missed and nothing more. It lists the resource only when it has no position (a fresh start), on <c>invalidate</c>
/// (the position is past the server's retention), and when the view asks for it. Failed attempts back off like the
/// drain (<see cref="SyncRetryOptions"/>); a refusal of the credentials (401, after the transport's one refresh) waits
/// for new ones instead (<see cref="FeedSettings.Credentials"/>) and resumes from the same position. The overlay of
/// pending changes is never touched here.
/// </summary>
/// <remarks>
/// The position and the rows it goes with are kept in the store (<see cref="FeedCheckpointWriter{TEntity}"/>) and
/// restored when the follower is made, so after a restart the view shows the rows it last held, before the engine
/// restores its queue on top, and the feed resumes after them.
/// </remarks>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed class FeedFollower<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Rows per list page.</summary>
    internal const int PageSize = 500;

    /// <summary>
    /// The shortest time between two refetches that confirmed creates ask for. A reconnecting client
    /// drains its queue while its list is fresh, so every confirmed create asks; each refetch reads
    /// every row, and one per batch made a drain quadratic. The confirmed rows show meanwhile.
    /// </summary>
    internal static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(1);

    private readonly ISyncTransport _transport;
    private readonly LocalView<TEntity> _view;
    private readonly FeedSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FeedCheckpointWriter<TEntity> _checkpoint;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stop;
    private CancellationTokenSource? _connection;
    private Task _loop = Task.CompletedTask;
    private long _lastSequence;
    private int _refetchRequested;
    private long? _lastRequestedRefetch;
    private ITimer? _refetchTimer;

    /// <summary>Creates a follower and restores the view's rows from the store's checkpoint; nothing is requested until <see cref="Start"/>.</summary>
    /// <param name="transport">The transport; lists and feeds are requested for the view's client (<see cref="LocalView{TEntity}.ClientId"/>).</param>
    /// <param name="view">The view to fill; it holds no row yet.</param>
    /// <param name="store">The store that keeps the feed checkpoint between runs.</param>
    /// <param name="settings">The clock, the backoff and the list limit, shared with the engine.</param>
    /// <param name="logger">The logger.</param>
    public FeedFollower(ISyncTransport transport, LocalView<TEntity> view, IMutationStore store, FeedSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxListBytes, 1);
        _transport = transport;
        _view = view;
        _settings = settings;
        _timeProvider = settings.TimeProvider;
        _logger = logger;
        _checkpoint = new FeedCheckpointWriter<TEntity>(store, view, settings.KeptRowsGate, _timeProvider, logger);
        Restore(store);
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

    /// <summary>Gets the sequence of the last event applied (or of the last list); the feed resumes after it, 0 when there is none.</summary>
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

    /// <summary>
    /// Stops following, waits for the loop to end and writes the checkpoint; the status becomes <see cref="SyncSetStatus.Offline"/>.
    /// The position stays: the next <see cref="Start"/> resumes from it.
    /// </summary>
    public Task StopAsync()
    {
        Task stopping;
        lock (_gate)
        {
            if (_stop is not { } stop)
            {
                return _loop;
            }

            _stop = null;

            // A refetch asked for meanwhile is still owed: the next start lists.
            if (_refetchTimer is not null)
            {
                _refetchTimer.Dispose();
                _refetchTimer = null;
                Volatile.Write(ref _refetchRequested, 1);
            }

            // A start right after this waits for the whole stop, the Offline status included, so that status cannot
            // land over the one the new loop shows (Live, or Unauthorized while it waits for credentials).
            Task loop = _loop;
            stopping = Task.Run(() => StopLoopAsync(stop, loop));
            _loop = stopping;
        }

        return stopping;
    }

    private async Task StopLoopAsync(CancellationTokenSource stop, Task loop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        finally
        {
            stop.Dispose();
            _checkpoint.Flush();
        }

        _view.SetStatus(SyncSetStatus.Offline);
    }

    /// <summary>
    /// The change to the kept rows that a push answer's confirmed writes make, for the engine to record with the answer in
    /// one store transaction (S4, S10, S15): the server applied them before the feed brings them, so a restart before
    /// the feed catches up would otherwise show the rows as they were before the client's own writes (a confirmed
    /// create missing, a confirmed delete back) and base the next edit on the version before it: a conflict with
    /// itself, which ServerWins drops. <see langword="null"/> when there is nothing to keep. The caller holds
    /// <see cref="FeedSettings.KeptRowsGate"/> and applies the answer to the view before it lets go.
    /// </summary>
    /// <param name="writes">The last confirmed write of each row of this resource in the answer.</param>
    public FeedCheckpointWrite? KeepAnswered(IReadOnlyList<ConfirmedWrite> writes)
    {
        if (!_checkpoint.KeepsAnswers)
        {
            return null;
        }

        List<string>? removed = null;
        List<ListItem>? rows = null;
        foreach (ConfirmedWrite write in writes)
        {
            if (_view.TryGetKeptRow(write, out ListItem? row))
            {
                if (row is null)
                {
                    (removed ??= []).Add(write.ServerKey);
                }
                else
                {
                    (rows ??= []).Add(row);
                }
            }
        }

        return removed is null && rows is null ? null : _checkpoint.KeepAnswered(removed ?? [], rows ?? []);
    }

    /// <summary>Shows the rows the store kept and takes their position, when the checkpoint was written for this model.</summary>
    private void Restore(IMutationStore store)
    {
        FeedCheckpoint? checkpoint;
        try
        {
            checkpoint = store.LoadFeedCheckpoint(TEntity.ResourceName);
        }
        catch (SyncStoreException e)
        {
            _logger.LogWarning(e, "The kept {Resource} rows cannot be read; the set lists the resource.", TEntity.ResourceName);
            return;
        }

        if (checkpoint is null)
        {
            return;
        }

        if (checkpoint.Contract != EntityContract<TEntity>.Fingerprint)
        {
            // Rows kept by another version of the model may lack what this one reads, and the feed would never bring it.
            _logger.LogInformation("The kept {Resource} rows were written for another model; the set lists the resource.", TEntity.ResourceName);
            return;
        }

        try
        {
            _view.RestoreServerRows(checkpoint.Rows);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            _logger.LogWarning(e, "The kept {Resource} rows cannot be read as {Type}; the set lists the resource.", TEntity.ResourceName, typeof(TEntity).Name);
            return;
        }

        Interlocked.Exchange(ref _lastSequence, checkpoint.Sequence);
        _checkpoint.Restored(checkpoint.Sequence);

        // Not Loading: the view shows what it last knew, as offline, until the feed is back.
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
        RetryPolicy retry = _settings.Retry;
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lock (_gate)
            {
                _connection = connection;
            }

            bool sawEvent = false;
            TimeSpan? retryAfter = null;
            long credentials = _settings.Credentials.Version;
            string? refused = null;
            try
            {
                // A position of 0 cannot be resumed from: the protocol takes it for a fresh start.
                if (Interlocked.Exchange(ref _refetchRequested, 0) == 1 || LastSequence == 0)
                {
                    await ListAsync(connection.Token).ConfigureAwait(false);
                    failures = 0;
                    _view.SetStatus(SyncSetStatus.Live);
                }
                else if (failures == 0 && _transport is not IFeedConnectionSignal)
                {
                    // Resuming after a success over a transport that cannot say when it connected: live unless this attempt fails.
                    _view.SetStatus(SyncSetStatus.Live);
                }

                // The server accepted the feed: live, and a later drop is a first failure again.
                Action connected = () =>
                {
                    failures = 0;
                    _view.SetStatus(SyncSetStatus.Live);
                };
                await foreach (ChangeEvent change in FollowAsync(connected, connection.Token).ConfigureAwait(false))
                {
                    if (!sawEvent)
                    {
                        sawEvent = true;
                        failures = 0;
                        _view.SetStatus(SyncSetStatus.Live);
                    }

                    if (change.Kind == ChangeKind.Invalidate)
                    {
                        // Past the server's retention (S19): list, then follow on from the event's sequence.
                        _logger.LogInformation("The {Resource} feed was invalidated at {Sequence}; listing the resource again.", TEntity.ResourceName, change.Sequence);
                        Volatile.Write(ref _refetchRequested, 1); // owed until a list succeeds
                        await ListAsync(connection.Token).ConfigureAwait(false);
                        Volatile.Write(ref _refetchRequested, 0);
                        Advance(change.Sequence);
                        continue;
                    }

                    if (change.Sequence <= LastSequence)
                    {
                        continue; // Already in the list the view holds (pages read at different moments).
                    }

                    _view.ApplyEvent(change);
                    Advance(change.Sequence);
                    if (change.Key is not null)
                    {
                        _checkpoint.RowChanged(change.Key, change.Sequence);
                    }
                }

                // The server closed the stream: reconnect at once after a live connection, back off after an empty one.
                if (!sawEvent)
                {
                    failures++;
                }

                _view.SetStatus(failures >= retry.OfflineAfterFailures ? SyncSetStatus.Offline : SyncSetStatus.Reconnecting);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (Volatile.Read(ref _refetchRequested) == 1)
            {
                continue;
            }
            catch (Exception exception) when (SyncUnauthorizedException.Find(exception) is { } unauthorized)
            {
                // Retrying cannot help until the app has new credentials; the position stays, so nothing is missed.
                refused = unauthorized.Message;
                _logger.LogWarning("The server refused the credentials for the {Resource} feed; waiting for new ones: {Error}", TEntity.ResourceName, refused);
                _view.SetStatus(SyncSetStatus.Unauthorized);
            }
            catch (Exception exception)
            {
                failures = sawEvent ? 1 : failures + 1;
                bool transient = TransientErrors.IsTransient(exception);
                retryAfter = RetryAfterException.Find(exception);
                _logger.LogWarning(exception, "Following the {Resource} feed failed (attempt {Failures}).", TEntity.ResourceName, failures);
                _view.SetStatus(!transient ? SyncSetStatus.Error
                    : failures >= retry.OfflineAfterFailures ? SyncSetStatus.Offline
                    : SyncSetStatus.Reconnecting);
                if (!transient)
                {
                    retryAfter = retry.MaxDelay; // the longest delay: retrying soon is unlikely to help
                }
            }
            finally
            {
                lock (_gate)
                {
                    _connection = null;
                }
            }

            if (refused is not null)
            {
                _settings.Unauthorized?.Invoke(refused, credentials);
                try
                {
                    await _settings.Credentials.WhenRenewedAsync(credentials, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                failures = 0;
                continue;
            }

            if (failures > 0 || retryAfter is not null)
            {
                try
                {
                    TimeSpan delay = retry.Delay(Math.Max(failures, 1), retryAfter);
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private IAsyncEnumerable<ChangeEvent> FollowAsync(Action connected, CancellationToken cancellationToken) =>
        _transport is IFeedConnectionSignal signal
            ? signal.FollowAsync(TEntity.ResourceName, LastSequence, _view.ClientId, connected, cancellationToken)
            : _transport.FollowAsync(TEntity.ResourceName, LastSequence, _view.ClientId, cancellationToken);

    private void Advance(long sequence)
    {
        if (sequence > LastSequence)
        {
            Interlocked.Exchange(ref _lastSequence, sequence);
        }
    }

    /// <summary>
    /// Lists every page and replaces the view's server rows and the checkpoint; the feed then resumes from the oldest
    /// page's sequence. A server that pages without advancing, or lists more than <see cref="SyncOptions.MaxListBytes"/>,
    /// fails the list with a <see cref="ListRefusedException"/> (the set shows <see cref="SyncSetStatus.Error"/>) and the rows stay.
    /// </summary>
    private async Task ListAsync(CancellationToken cancellationToken)
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

            if (bytes > _settings.MaxListBytes)
            {
                throw new ListRefusedException($"Listing '{TEntity.ResourceName}' brought more than SyncOptions.MaxListBytes ({_settings.MaxListBytes} bytes) of rows; raise the limit if the resource is that large.");
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

        IReadOnlyCollection<string> heldOtherwise = _view.ReplaceServerRows(rows);
        Interlocked.Exchange(ref _lastSequence, sequence);
        _checkpoint.ListReplaced(sequence, rows, heldOtherwise);
    }
}
