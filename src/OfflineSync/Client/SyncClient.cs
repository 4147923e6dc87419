namespace OfflineSync;

/// <summary>
/// The base of the generated <c>[SyncClient]</c> class: owns the engine that the typed sets use, and
/// exposes sync control, the queue and the events of DESIGN §5.
/// </summary>
/// <remarks>Thread-safe. Events are raised outside the engine's locks, on the thread that caused them (often a background thread).</remarks>
public abstract class SyncClient : IAsyncDisposable
{
    private readonly SyncEngine _engine;

    /// <summary>Creates the client: validates the options, loads the store and applies its stored mappings.</summary>
    /// <param name="options">The options.</param>
    /// <param name="model">The entities to sync, built by the generated code.</param>
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    /// <exception cref="SyncStoreException">The store cannot be read.</exception>
    protected SyncClient(SyncOptions options, SyncModel model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        Options = options;
        Model = model;
        _engine = new SyncEngine(options, model);
    }

    /// <summary>Raised once per confirmed mapping of an optimistic key to another server key (S3).</summary>
    public event Action<IdRemappedEventArgs>? IdRemapped
    {
        add => _engine.IdRemapped += value;
        remove => _engine.IdRemapped -= value;
    }

    /// <summary>Raised for every conflict the server reports, whatever the strategy (S10).</summary>
    public event Action<SyncConflict>? ConflictDetected
    {
        add => _engine.ConflictDetected += value;
        remove => _engine.ConflictDetected -= value;
    }

    /// <summary>Raised when the server applied a mutation and it left the queue.</summary>
    public event Action<MutationSyncedEventArgs>? MutationSynced
    {
        add => _engine.MutationSynced += value;
        remove => _engine.MutationSynced -= value;
    }

    /// <summary>Raised when a mutation fails permanently: exhausted, rejected, a dependency failed, or an unresolved create conflict (S9, S11).</summary>
    public event Action<MutationFailedEventArgs>? MutationFailed
    {
        add => _engine.MutationFailed += value;
        remove => _engine.MutationFailed -= value;
    }

    /// <summary>Raised when a full queue dropped its oldest mutation (<see cref="QueueFullPolicy.DropOldest"/>, S7).</summary>
    public event Action<MutationDroppedEventArgs>? MutationDropped
    {
        add => _engine.MutationDropped += value;
        remove => _engine.MutationDropped -= value;
    }

    /// <summary>Raised when a drain stops: the queue is empty or its head waits (S8).</summary>
    public event Action<SyncCompletedEventArgs>? SyncCompleted
    {
        add => _engine.SyncCompleted += value;
        remove => _engine.SyncCompleted -= value;
    }

    /// <summary>Raised when <see cref="Status"/> changes.</summary>
    public event Action<StatusChangedEventArgs>? StatusChanged
    {
        add => _engine.StatusChanged += value;
        remove => _engine.StatusChanged -= value;
    }

    /// <summary>Gets the options the client was made with. The engine copied their values when the client was made: changing them now changes nothing.</summary>
    public SyncOptions Options { get; }

    /// <summary>Gets the entities the client syncs.</summary>
    public SyncModel Model { get; }

    /// <summary>Gets what the client is doing.</summary>
    public SyncStatus Status => _engine.Status;

    /// <summary>Gets whether the client considers itself online (<see cref="SetOnline(bool)"/> or <see cref="SyncOptions.NetworkMonitor"/>).</summary>
    public bool IsOnline => _engine.IsOnline;

    /// <summary>Gets the number of queued mutations, failed ones included.</summary>
    public int PendingCount => _engine.PendingCount;

    /// <summary>Gets the confirmed ID mappings (S3).</summary>
    public SyncIdMap IdMap => _engine.IdMapView;

    /// <summary>Gets the engine the typed sets call.</summary>
    protected ISyncEngine Engine => _engine;

    /// <summary>Gets the engine, for the live features of the sets and for tests.</summary>
    internal SyncEngine SyncEngine => _engine;

    /// <summary>
    /// Pushes everything that can be sent now. Returns when the queue is empty or its head waits for a
    /// backoff timer or a conflict answer; offline it returns at once (S8).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the drain itself goes on.</param>
    public Task SyncAsync(CancellationToken cancellationToken = default) => _engine.SyncAsync(cancellationToken);

    /// <summary>Cancels pending backoff timers and retries at once (S8); a client waiting with <see cref="SyncStatus.Unauthorized"/> tries its credentials again.</summary>
    public void RetryNow() => _engine.RetryNow();

    /// <summary>
    /// Tells the client that the app has new credentials, after the user signed in again: when the client waits with
    /// <see cref="SyncStatus.Unauthorized"/> (the server refused its token, also after one refresh), the queue drains
    /// again and the sets follow their feeds from where they stopped. Nothing queued was lost or counted as failed
    /// meanwhile. Going online and a restart try the credentials again as well.
    /// </summary>
    public void NotifyCredentialsChanged() => _engine.NotifyCredentialsChanged();

    /// <summary>
    /// Sends a failed mutation again: a permanently failed one gets a fresh set of attempts, with the mutations
    /// that failed only because of it (S9).
    /// </summary>
    /// <param name="id">The mutation id from <see cref="GetPending"/> or an event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the mutation was queued.</returns>
    public Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default) => _engine.RetryAsync(id, cancellationToken);

    /// <summary>
    /// Drops a queued mutation and its local change. Discarding a create removes the item and fails what depends
    /// on it (S9). Waits for a push in flight to settle first.
    /// </summary>
    /// <param name="id">The mutation id from <see cref="GetPending"/> or an event.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Whether the mutation was queued.</returns>
    public Task<bool> DiscardAsync(long id, CancellationToken cancellationToken = default) => _engine.DiscardAsync(id, cancellationToken);

    /// <summary>Discards every queued mutation and the local overlay; keeps the ID map, whose mappings stay true.</summary>
    /// <param name="cancellationToken">Cancels the wait for a push in flight.</param>
    public Task ClearAsync(CancellationToken cancellationToken = default) => _engine.ClearAsync(cancellationToken);

    /// <summary>Lists the queued mutations in queue order, with status, attempts, last error and failure reason.</summary>
    public IReadOnlyList<PendingMutation> GetPending() => _engine.GetPending();

    /// <summary>Sets the online state when no <see cref="INetworkMonitor"/> is configured: online drains the queue and follows the feeds; offline stops the feeds (S8).</summary>
    /// <param name="online">Whether the device is online.</param>
    public void SetOnline(bool online) => _engine.SetOnline(online);

    /// <summary>Stops syncing and following the feeds, waits for background work, and disposes the store.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
