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
/// Thread-safe. One lock (<see cref="Gate"/>) guards the queue, the ID map and the calls into the store
/// and the views; the store is therefore called from one thread at a time. Events fire after the lock
/// is released. I/O to the server happens only in <see cref="SyncDrain"/>, outside the lock.
/// </remarks>
internal sealed partial class SyncEngine : ISyncEngine, ILocalViewSource, IAsyncDisposable
{
    private readonly SyncOptions _options;
    private readonly IMutationStore _store;
    private readonly ResourceRuntime?[] _runtimes;
    private readonly IReadOnlyList<ResourceRuntime> _resources;
    private readonly IdMap _idMap;
    private readonly MutationQueue _queue;
    private readonly ILogger _logger;
    private readonly SyncDrain _drain;
    private readonly ConflictResolver _conflicts;
    private readonly CancellationTokenSource _lifetime = new();
    private long _lastSequence;
    private bool _online;
    private bool _disposed;
    private SyncStatus _status;
    private int _consecutiveFailures;

    public SyncEngine(SyncOptions options, SyncModel model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        _options = options;
        Transport = options.Transport!;
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = LoggerFactory.CreateLogger<SyncEngine>();
        _store = options.Store ?? new InMemoryMutationStore();
        StoreState state = _store.Load();

        // The views are made for this client: only its own rows confirm its creates (S3).
        ClientId = options.ClientId ?? state.ClientId;
        if (options.ClientId is null)
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

        _runtimes = new ResourceRuntime?[typeCount];
        var resources = new List<ResourceRuntime>(model.Resources.Count);
        foreach (ResourceModel resource in model.Resources)
        {
            ResourceRuntime runtime = resource.CreateRuntime(this);
            _runtimes[resource.TypeId] = runtime;
            resources.Add(runtime);
        }

        _resources = resources;
        _idMap = new IdMap(model.Resources);
        _queue = new MutationQueue(typeCount);
        IdMapView = new SyncIdMap(this);
        _drain = new SyncDrain(this);
        _conflicts = new ConflictResolver(this);

        // Made once nothing can fail any more: a Meter stays registered process-wide until it is disposed.
        Telemetry = new SyncTelemetry();
        lock (Gate)
        {
            Restore(state);
        }

        Notifications.Flush();

        Log.Started(_logger, ClientId, state.Pending.Count, state.Mappings.Count);

        _online = options.NetworkMonitor?.IsOnline ?? true;
        _status = _online ? SyncStatus.Idle : SyncStatus.Offline;
        if (options.NetworkMonitor is { } monitor)
        {
            monitor.OnlineChanged += SetOnline;
        }

        if (_online)
        {
            foreach (ResourceRuntime resource in _resources)
            {
                resource.StartFeed();
            }

            if (options.AutoSync && _queue.Count > 0)
            {
                _drain.Kick();
            }
        }
    }

    public event Action<IdRemappedEventArgs>? IdRemapped;

    public event Action<SyncConflict>? ConflictDetected;

    public event Action<MutationSyncedEventArgs>? MutationSynced;

    public event Action<MutationFailedEventArgs>? MutationFailed;

    public event Action<MutationDroppedEventArgs>? MutationDropped;

    public event Action<SyncCompletedEventArgs>? SyncCompleted;

    public event Action<StatusChangedEventArgs>? StatusChanged;

    /// <summary>Gets the lock that guards the queue, the ID map, the store and the views.</summary>
    internal Lock Gate { get; } = new();

    internal SyncOptions Options => _options;

    internal ISyncTransport Transport { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger => _logger;

    internal string ClientId { get; }

    /// <summary>Gets the holder of the views' notifications raised under <see cref="Gate"/>; <see cref="Fire"/> raises them.</summary>
    internal ViewNotifications Notifications { get; }

    internal IMutationStore Store => _store;

    internal IdMap IdMap => _idMap;

    internal MutationQueue Queue => _queue;

    internal SyncDrain Drain => _drain;

    internal CancellationToken Lifetime => _lifetime.Token;

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
                _consecutiveFailures = 0;
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

    /// <summary>Cancels pending backoff timers and pushes at once (S8).</summary>
    public void RetryNow()
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        _drain.RetryNow();
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
        SetStatus(!_online || _consecutiveFailures >= _options.Retry.OfflineAfterFailures ? SyncStatus.Offline : SyncStatus.WaitingToRetry, events);
    }

    /// <summary>Shows that the drain waits for the head's backoff; call under the lock.</summary>
    internal void SetBackoffStatus(EngineEvents events)
    {
        bool offline = !_online || _consecutiveFailures >= _options.Retry.OfflineAfterFailures;
        SetStatus(offline ? SyncStatus.Offline : SyncStatus.WaitingToRetry, events);
    }

    /// <summary>Records that the server answered; call under the lock.</summary>
    internal void RecordServerAnswer() => _consecutiveFailures = 0;

    /// <summary>Sets the status the drain shows when it works or stops; call under the lock.</summary>
    internal void SetDrainStatus(bool running, EngineEvents events)
    {
        bool offline = !_online || _consecutiveFailures >= _options.Retry.OfflineAfterFailures;
        SetStatus(offline ? SyncStatus.Offline : running ? SyncStatus.Syncing : SyncStatus.Idle, events);
    }

    /// <summary>Raises the views' notifications held while the lock was held, then fires collected events; never call under the lock.</summary>
    internal void Fire(EngineEvents events)
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
                    Raise(ConflictDetected, conflict, nameof(ConflictDetected));
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

    private void Raise<T>(Action<T>? handler, T args, string name)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(args);
        }
        catch (Exception exception)
        {
            // A throwing handler must not stop the drain or lose the events after it.
            Log.HandlerFailed(_logger, name, exception);
        }
    }

    private void Restore(StoreState state)
    {
        _lastSequence = state.LastSequence;
        foreach (IdMapping mapping in state.Mappings)
        {
            if (!_idMap.TryGetTypeId(mapping.Resource, out int typeId))
            {
                Log.UnknownResource(_logger, mapping.Resource);
                continue;
            }

            if (!ProtocolChecks.IsValidKey(_runtimes[typeId]!.Model.KeyKind, mapping.ServerKey))
            {
                // Stored by a version that took any key the server sent: skipped, so the store still opens.
                Log.InvalidMapping(_logger, mapping.Resource, mapping.OptimisticKey, mapping.ServerKey);
                continue;
            }

            _idMap.Add(typeId, mapping.OptimisticKey, mapping.ServerKey);
            foreach (ResourceRuntime resource in _resources)
            {
                resource.ApplyMapping(mapping);
            }
        }

        foreach (StoredMutation stored in state.Pending)
        {
            _lastSequence = Math.Max(_lastSequence, stored.Sequence);
            if (RuntimeOf(stored.Resource) is not { } runtime)
            {
                Log.UnknownResource(_logger, stored.Resource);
                continue;
            }

            string key = _idMap.Resolve(runtime.TypeId, stored.Key);
            ObjectEntry entry = _queue.GetOrAddObject(runtime.TypeId, key);
            string original = stored.Resends > 0 && stored.IdempotencyKey.LastIndexOf(":r", StringComparison.Ordinal) is > 0 and int cut
                ? stored.IdempotencyKey[..cut]
                : stored.IdempotencyKey;
            var mutation = new QueuedMutation(stored.Sequence, runtime, stored.Kind, entry, stored.Key, stored.Payload, stored.IdempotencyKey, original, stored.EnqueuedAt)
            {
                AppIdempotencyKey = stored.AppIdempotencyKey,
                BaseVersion = stored.BaseVersion,
                BaseFromPrevious = stored.BaseVersion is null && entry.Mutations.Count > 0,

                // An answer lost with the process (in flight, or a conflict the app had not answered) is asked again.
                Status = stored.Status is MutationStatus.InFlight or MutationStatus.Conflicted ? MutationStatus.Pending : stored.Status,
                Attempts = stored.Attempts,
                LastError = stored.LastError,
                FailureReason = stored.FailureReason,
                Resends = stored.Resends,

                // The store does not record what was in flight when the process stopped (S6: never coalesced or cancelled).
                MaybeSent = true,
            };

            runtime.Restore(mutation, _idMap, _queue);
            _queue.Append(mutation);
            if (mutation.Kind == MutationKind.Create)
            {
                _queue.SetPendingCreate(mutation);
            }
        }

        Telemetry.QueueChanged(_queue.Count);
    }
}
