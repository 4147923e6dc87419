using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OfflineSync;

/// <summary>
/// The runtime engine behind a <see cref="SyncClient"/>: applies changes to the local views at once,
/// queues them durably, drains the queue to the server in order, remaps optimistic keys and resolves
/// conflicts (DESIGN §5, S1–S14, F1–F3).
/// </summary>
/// <remarks>
/// <para>
/// A coordinator: the rules live in the types named after them, which see no more of the engine than they need —
/// <see cref="SyncDrain"/> (through <see cref="IDrainHost"/>), <see cref="ConflictResolver"/> (through
/// <see cref="IConflictHost"/>), <see cref="Coalescer"/> (S6), <see cref="FailurePropagation"/> (S9),
/// <see cref="QueueRestorer"/> (restart), <see cref="QueuedPayload{TEntity}"/> and <see cref="PayloadSlots"/> (S3, S12–S14).
/// </para>
/// <para>
/// Thread-safe. One lock (<see cref="Gate"/>) guards the queue, the ID map and the calls into the store
/// and the views; the store is therefore called from one thread at a time. Events fire after the lock
/// is released. I/O to the server happens only in <see cref="SyncDrain"/>, outside the lock. The options are
/// copied when the engine is built (<see cref="EngineOptions"/>).
/// </para>
/// </remarks>
internal sealed partial class SyncEngine : ISyncEngine, ILocalViewSource, IDrainHost, IConflictHost, IAsyncDisposable
{
    private readonly EngineOptions _options;
    private readonly IMutationStore _store;
    private readonly ResourceRuntime?[] _runtimes;
    private readonly ResourceRuntime[] _resources;
    private readonly IdMap _idMap;
    private readonly MutationQueue _queue;
    private readonly ClientSequence _sequence = new();
    private readonly ILogger _logger;
    private readonly SyncDrain _drain;
    private readonly ConflictResolver _conflicts;
    private readonly FailurePropagation _failures;
    private readonly Coalescer _coalescer;
    private readonly CancellationTokenSource _lifetime = new();
    private bool _online;
    private bool _unauthorized;
    private bool _disposed;
    private SyncStatus _status;
    private int _consecutiveFailures;

    public SyncEngine(SyncOptions options, SyncModel model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        _options = new EngineOptions(options);
        _logger = _options.LoggerFactory.CreateLogger<SyncEngine>();
        _store = _options.Store ?? new InMemoryMutationStore();
        StoreState state = _store.Load();

        // The views are made for this client: only its own rows confirm its creates (S3).
        ClientId = _options.ClientId ?? state.ClientId;
        if (_options.ClientId is null)
        {
            ProtocolChecks.ClientId(ClientId, "The client id in the mutation store");
        }

        Notifications = new ViewNotifications(Gate, _logger);

        // Reading TypeId assigns the index of a type seen for the first time, so size the tables after it.
        int typeCount = 0;
        foreach (ResourceModel resource in model.Resources)
        {
            typeCount = Math.Max(typeCount, resource.TypeId + 1);
        }

        // Made before the views, which read their mappings from it.
        _idMap = new IdMap(model.Resources);
        _runtimes = new ResourceRuntime?[typeCount];
        var resources = new List<ResourceRuntime>(model.Resources.Count);
        foreach (ResourceModel resource in model.Resources)
        {
            ResourceRuntime runtime = resource.CreateRuntime(this);
            _runtimes[resource.TypeId] = runtime;
            resources.Add(runtime);
        }

        _resources = [.. resources];
        _queue = new MutationQueue(typeCount);
        IdMapView = new SyncIdMap(this);
        _drain = new SyncDrain(this, _options.Transport, ClientId, _options.TimeProvider, _logger, _lifetime.Token);
        _coalescer = new Coalescer(_idMap, _queue, _store, _sequence);

        // Made once nothing can fail any more: a Meter stays registered process-wide until it is disposed.
        Telemetry = new SyncTelemetry(_options.MeterFactory, ClientId);
        _failures = new FailurePropagation(_queue, _store, _idMap, Telemetry, _logger, _drain.CountFailed);
        _conflicts = new ConflictResolver(this, _options, Telemetry, _logger);
        lock (Gate)
        {
            new QueueRestorer(_idMap, _queue, _runtimes, _resources, _sequence, _logger).Restore(state);
            Telemetry.QueueChanged(_queue.Count);
        }

        Notifications.Flush();

        Log.Started(_logger, ClientId, state.Pending.Count, state.Mappings.Count);

        _online = _options.NetworkMonitor?.IsOnline ?? true;
        _status = _online ? SyncStatus.Idle : SyncStatus.Offline;
        if (_options.NetworkMonitor is { } monitor)
        {
            monitor.OnlineChanged += SetOnline;
        }

        if (_online)
        {
            foreach (ResourceRuntime resource in _resources)
            {
                resource.StartFeed();
            }

            if (_options.AutoSync && _queue.Count > 0)
            {
                _drain.Kick();
            }
        }
    }

    public event EventHandler<IdRemappedEventArgs>? IdRemapped;

    public event EventHandler<ConflictDetectedEventArgs>? ConflictDetected;

    public event EventHandler<MutationSyncedEventArgs>? MutationSynced;

    public event EventHandler<MutationFailedEventArgs>? MutationFailed;

    public event EventHandler<MutationDroppedEventArgs>? MutationDropped;

    public event EventHandler<SyncCompletedEventArgs>? SyncCompleted;

    public event EventHandler<StatusChangedEventArgs>? StatusChanged;

    /// <summary>Gets or sets the sender of the events: the <see cref="SyncClient"/> that owns the engine.</summary>
    internal object? EventSender { get; set; }

    /// <summary>Gets the lock that guards the queue, the ID map, the store and the views.</summary>
    public Lock Gate { get; } = new();

    /// <summary>
    /// Gets the gate of every write of kept rows (S15), the feeds' and the push answers': taken under <see cref="Gate"/>
    /// (never the other way round) while an answer is recorded with the rows it left and applied to the views.
    /// </summary>
    internal Lock KeptRowsGate { get; } = new();

    /// <summary>Gets the settings the engine was built with.</summary>
    internal EngineOptions Options => _options;

    internal ISyncTransport Transport => _options.Transport;

    /// <summary>Gets the store of the queue, the mappings and the feed checkpoints.</summary>
    internal IMutationStore Store => _store;

    internal TimeProvider TimeProvider => _options.TimeProvider;

    internal ILoggerFactory LoggerFactory => _options.LoggerFactory;

    internal string ClientId { get; }

    /// <summary>Gets the holder of the views' notifications raised under <see cref="Gate"/>; <see cref="Fire"/> raises them.</summary>
    internal ViewNotifications Notifications { get; }

    internal IdMap IdMap => _idMap;

    internal MutationQueue Queue => _queue;

    /// <summary>Gets the signal of new credentials the feed followers wait for after a 401.</summary>
    internal CredentialsSignal Credentials { get; } = new();

    /// <summary>Gets this engine's metrics.</summary>
    internal SyncTelemetry Telemetry { get; }

    /// <summary>Gets the public face of the ID map.</summary>
    internal SyncIdMap IdMapView { get; }

    internal bool MutationSyncedHasListeners => MutationSynced is not null;

    public bool IsOnline
    {
        get
        {
            lock (Gate)
            {
                return _online;
            }
        }
    }

    public SyncStatus Status
    {
        get
        {
            lock (Gate)
            {
                return _status;
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (Gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <inheritdoc/>
    public bool TryGet<TEntity>(string key, [NotNullWhen(true)] out TEntity? item)
        where TEntity : class, ISyncEntity<TEntity>
    {
        ArgumentNullException.ThrowIfNull(key);
        return Runtime<TEntity>().View.TryGet(key, out item);
    }

    /// <inheritdoc/>
    public IReadOnlyList<TEntity> GetItems<TEntity>()
        where TEntity : class, ISyncEntity<TEntity> => Runtime<TEntity>().View.Items;

    /// <inheritdoc/>
    public LocalView<TEntity> ViewOf<TEntity>()
        where TEntity : class, ISyncEntity<TEntity> => Runtime<TEntity>().LocalView;

    /// <summary>Gets the feed follower of <typeparamref name="TEntity"/>.</summary>
    internal FeedFollower<TEntity>? FollowerOf<TEntity>()
        where TEntity : class, ISyncEntity<TEntity> => Runtime<TEntity>().Follower;

    /// <summary>Sets the online state (S8): online starts a drain and the feeds, offline stops the feeds.</summary>
    public void SetOnline(bool online)
    {
        var events = new EngineEvents();
        bool kick;
        lock (Gate)
        {
            if (_disposed || _online == online)
            {
                return;
            }

            _online = online;
            if (online)
            {
                // Coming back is a fresh start: the credentials may have been renewed meanwhile.
                _consecutiveFailures = 0;
                _unauthorized = false;
                Credentials.Renew();
            }

            SetStatus(online ? (_drain.IsRunning ? SyncStatus.Syncing : SyncStatus.Idle) : SyncStatus.Offline, events);
            kick = online && _options.AutoSync && _queue.Head is not null;
        }

        foreach (ResourceRuntime resource in _resources)
        {
            if (online)
            {
                resource.StartFeed();
            }
            else
            {
                _drain.Track(resource.StopFeedAsync());
            }
        }

        Fire(events);
        if (kick)
        {
            _drain.Kick();
        }
    }

    /// <summary>Pushes everything ready now; returns when the queue is empty or its head waits (S8). Offline it returns at once.</summary>
    public Task SyncAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_online)
            {
                return Task.CompletedTask;
            }
        }

        return _drain.RunUntilQuietAsync(cancellationToken);
    }

    /// <summary>Cancels pending backoff timers and pushes at once (S8); a client waiting for credentials tries the ones it has.</summary>
    public void RetryNow()
    {
        NotifyCredentialsChanged();
        _drain.RetryNow();
    }

    /// <summary>Ends the wait for new credentials after a 401: the drain and the feeds try again (issue 12).</summary>
    public void NotifyCredentialsChanged()
    {
        var events = new EngineEvents();
        bool kick;
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            kick = _unauthorized && _online && _options.AutoSync && _queue.Head is not null;
            if (_unauthorized)
            {
                _unauthorized = false;
                SetDrainStatus(_drain.IsRunning, events);
            }

            // Under the lock: a feed's refusal of the old credentials that arrives after this is recognized as stale.
            Credentials.Renew();
        }

        Fire(events);
        if (kick)
        {
            _drain.Kick();
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (_options.NetworkMonitor is { } monitor)
        {
            monitor.OnlineChanged -= SetOnline;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        foreach (ResourceRuntime resource in _resources)
        {
            _drain.Track(resource.StopFeedAsync());
        }

        await _drain.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
        Telemetry.Dispose();
        _lifetime.Dispose();
    }

    internal bool IsDisposed => _disposed;

    /// <inheritdoc/>
    bool IDrainHost.IsStopped => _disposed;

    /// <inheritdoc/>
    bool IConflictHost.IsStopped => _disposed;

    internal ResourceRuntime<TEntity> Runtime<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        int typeId = EntityTypeId<TEntity>.Value;
        if ((uint)typeId < (uint)_runtimes.Length && _runtimes[typeId] is ResourceRuntime<TEntity> runtime)
        {
            return runtime;
        }

        throw new InvalidOperationException($"{typeof(TEntity).Name} is not part of this client's model; mark it [Syncable] in the compilation of the [SyncClient] class.");
    }

    internal ResourceRuntime? RuntimeOf(string resource) =>
        _idMap.TryGetTypeId(resource, out int typeId) ? _runtimes[typeId] : null;

    /// <summary>Sets the status; call under the lock.</summary>
    internal void SetStatus(SyncStatus status, EngineEvents events)
    {
        if (_status == status)
        {
            return;
        }

        SyncStatus previous = _status;
        _status = status;
        Log.StatusChanged(_logger, previous, status);
        events.Add(new StatusChangedEventArgs(previous, status));
    }

    /// <summary>Records a transient failure for the status (S8: offline after repeated failures); call under the lock.</summary>
    internal void RecordTransientFailure(EngineEvents events)
    {
        _consecutiveFailures++;
        SetBackoffStatus(events);
    }

    /// <summary>Shows that the drain waits for the head's backoff; call under the lock.</summary>
    internal void SetBackoffStatus(EngineEvents events) => SetStatus(WaitingStatus() ?? SyncStatus.WaitingToRetry, events);

    /// <summary>Records that the server answered; call under the lock.</summary>
    internal void RecordServerAnswer() => _consecutiveFailures = 0;

    /// <summary>Sets the status the drain shows when it works or stops; call under the lock.</summary>
    internal void SetDrainStatus(bool running, EngineEvents events) =>
        SetStatus(WaitingStatus() ?? (running ? SyncStatus.Syncing : SyncStatus.Idle), events);

    /// <summary>
    /// The server refused the credentials, also after the transport's one refresh: nothing is sent until the app has
    /// new ones, and nothing queued fails or loses an attempt (issue 12); call under the lock.
    /// </summary>
    internal void RecordUnauthorized(string error, EngineEvents events)
    {
        if (!_unauthorized)
        {
            Log.Unauthorized(_logger, error);
        }

        _unauthorized = true;
        SetStatus(WaitingStatus()!.Value, events);
    }

    /// <summary>A feed follower's server refused the credentials it had at <paramref name="credentials"/> (<see cref="FeedSettings.Unauthorized"/>).</summary>
    internal void ShowFeedUnauthorized(string error, long credentials)
    {
        var events = new EngineEvents();
        lock (Gate)
        {
            if (_disposed || !_online || Credentials.Version != credentials)
            {
                return;
            }

            RecordUnauthorized(error, events);
        }

        Fire(events);
    }

    /// <summary>The status that overrides what the drain does: offline, then waiting for credentials; call under the lock.</summary>
    private SyncStatus? WaitingStatus() =>
        !_online ? SyncStatus.Offline
        : _unauthorized ? SyncStatus.Unauthorized
        : _consecutiveFailures >= _options.Retry.OfflineAfterFailures ? SyncStatus.Offline
        : null;

    /// <summary>Raises the views' notifications held while the lock was held, then fires collected events; never call under the lock.</summary>
    public void Fire(EngineEvents events)
    {
        Notifications.Flush();
        if (events.Take() is not { } items)
        {
            return;
        }

        foreach (object item in items)
        {
            switch (item)
            {
                case IdRemappedEventArgs remapped:
                    Raise(IdRemapped, remapped, nameof(IdRemapped));
                    break;
                case SyncConflict conflict:
                    Raise(ConflictDetected, new ConflictDetectedEventArgs(conflict), nameof(ConflictDetected));
                    break;
                case ConflictCallback callback:
                    _drain.Track(_conflicts.AskAsync(callback));
                    break;
                case MutationSyncedEventArgs synced:
                    Raise(MutationSynced, synced, nameof(MutationSynced));
                    break;
                case MutationFailedEventArgs failed:
                    Raise(MutationFailed, failed, nameof(MutationFailed));
                    break;
                case MutationDroppedEventArgs dropped:
                    Raise(MutationDropped, dropped, nameof(MutationDropped));
                    break;
                case SyncCompletedEventArgs completed:
                    Raise(SyncCompleted, completed, nameof(SyncCompleted));
                    break;
                case StatusChangedEventArgs status:
                    Raise(StatusChanged, status, nameof(StatusChanged));
                    break;
            }
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args, string name)
        where T : EventArgs
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(EventSender ?? this, args);
        }
        catch (Exception exception)
        {
            // A throwing handler must not stop the drain or lose the events after it.
            Log.HandlerFailed(_logger, name, exception);
        }
    }
}
