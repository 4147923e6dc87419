using System.Collections;
using System.Collections.Specialized;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace OfflineSync;

/// <summary>
/// The local view of one entity type and the operations on it. The generated typed sets (for
/// example <c>AppSync.TodoSet</c>) derive from it and add overloads typed by the key and the patch.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Items"/> is always the latest consistent snapshot: a <see cref="Create"/> shows in it
/// before it returns (S1). For data binding the set is also a read-only list that raises
/// <see cref="INotifyCollectionChanged.CollectionChanged"/> and <see cref="INotifyPropertyChanged.PropertyChanged"/>
/// on the <see cref="SynchronizationContext"/> that was current when the set was made (the UI
/// thread in WPF, MAUI or Avalonia), or on the thread that made the change when there was none;
/// never while the client holds a lock, so a handler may call the client or wait for a thread that
/// does. A handler that throws is logged; the notifications after it are raised all the same.
/// Enumerating the set gives the items as of the last notification, so a binding always sees
/// indexes that match the notifications it received.
/// </para>
/// <para>Items are shared snapshots: treat them as read-only and change them through <c>Update</c>.</para>
/// </remarks>
/// <typeparam name="TEntity">The entity type.</typeparam>
public abstract class SyncSet<TEntity> : IReadOnlyList<TEntity>, INotifyCollectionChanged, INotifyPropertyChanged
    where TEntity : class, ISyncEntity<TEntity>
{
    private static readonly PropertyChangedEventArgs CountChanged = new(nameof(IReadOnlyCollection<TEntity>.Count));
    private static readonly PropertyChangedEventArgs IndexerChanged = new("Item[]");
    private static readonly PropertyChangedEventArgs ItemsChanged = new(nameof(Items));
    private static readonly PropertyChangedEventArgs StatusChanged = new(nameof(Status));
    private static readonly PropertyChangedEventArgs PendingCountChanged = new(nameof(PendingCount));

    private readonly ISyncEngine _engine;
    private readonly LocalView<TEntity>? _view;
    private readonly SynchronizationContext? _context;

    // What the last notifications described; only the publishing thread writes these.
    private IReadOnlyList<TEntity> _published;
    private SyncSetStatus _publishedStatus;
    private int _publishedPendingCount;

    private int _publishRequests;
    private int _posted;

    // Set when changes went unpublished because nobody listened: the list catches up when it is read.
    // A burst of changes (a drain, a feed catching up) then costs no snapshot per change.
    private int _stale;
    private readonly Lock _listenersGate = new();
    private NotifyCollectionChangedEventHandler? _collectionChanged;
    private PropertyChangedEventHandler? _propertyChanged;
    private EventHandler<SyncSetChangedEventArgs<TEntity>>? _changed;

    /// <summary>Creates the set over an engine and captures the current <see cref="SynchronizationContext"/> for notifications.</summary>
    protected SyncSet(ISyncEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _context = SynchronizationContext.Current;
        _view = (engine as ILocalViewSource)?.ViewOf<TEntity>();
        if (_view is null)
        {
            _published = Array.Empty<TEntity>();
            _publishedStatus = SyncSetStatus.Offline;
            return;
        }

        _published = _view.Items;
        _publishedStatus = _view.Status;
        _publishedPendingCount = _view.PendingCount;
        _view.Changed += RequestPublish;
        _view.StatusChanged += RequestPublish;
    }

    /// <inheritdoc/>
    public event NotifyCollectionChangedEventHandler? CollectionChanged
    {
        add => Listen(() => _collectionChanged += value);
        remove => Listen(() => _collectionChanged -= value);
    }

    /// <inheritdoc/>
    public event PropertyChangedEventHandler? PropertyChanged
    {
        add => Listen(() => _propertyChanged += value);
        remove => Listen(() => _propertyChanged -= value);
    }

    /// <summary>
    /// Raised after the items changed, with the new snapshot, on the same thread as the other
    /// notifications. Several changes in a row may be reported once, with the latest snapshot.
    /// </summary>
    public event EventHandler<SyncSetChangedEventArgs<TEntity>>? Changed
    {
        add => Listen(() => _changed += value);
        remove => Listen(() => _changed -= value);
    }

    /// <summary>Gets the resource name.</summary>
    public string Resource => TEntity.ResourceName;

    /// <summary>Gets the latest consistent snapshot of the items of the local view: server state with pending local changes on top.</summary>
    public IReadOnlyList<TEntity> Items => _view?.Items ?? _engine.GetItems<TEntity>();

    /// <summary>Gets where the set stands with the server's change feed.</summary>
    public SyncSetStatus Status => _view?.Status ?? SyncSetStatus.Offline;

    /// <summary>Gets the number of this set's local changes the server has not confirmed yet.</summary>
    public int PendingCount => _view?.PendingCount ?? 0;

    /// <inheritdoc/>
    int IReadOnlyCollection<TEntity>.Count => Published.Count;

    /// <inheritdoc/>
    TEntity IReadOnlyList<TEntity>.this[int index] => Published[index];

    /// <summary>
    /// Creates <paramref name="item"/> locally at once and queues its create. An item without a key
    /// gets an optimistic key; a key the app set is proposed to the server (S2).
    /// </summary>
    /// <param name="item">The new item.</param>
    /// <param name="idempotencyKey">An optional key: a second call with the same key while the first is queued returns the first's item.</param>
    /// <returns>The item as the local view holds it, with its key set.</returns>
    /// <exception cref="ArgumentException">
    /// The item's key is set but is not a key the protocol can carry: longer than <see cref="Protocol.SyncLimits.MaxKeyLength"/>,
    /// or holding a space, a control or a non-ASCII character. Nothing is queued.
    /// </exception>
    public TEntity Create(TEntity item, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _engine.Create(item, idempotencyKey);
    }

    /// <summary>Edits an item locally at once and queues the properties the edit changed.</summary>
    /// <param name="key">The item's optimistic or server key.</param>
    /// <param name="edit">Changes a copy of the item.</param>
    /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
    /// <returns>The item after the edit.</returns>
    public TEntity Update(string key, Action<TEntity> edit, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(edit);
        if (!_engine.TryGet<TEntity>(key, out TEntity? current))
        {
            throw new KeyNotFoundException($"No {TEntity.ResourceName} item has the key '{key}'.");
        }

        TEntity after = EntityJson<TEntity>.Clone(current);
        edit(after);
        return UpdateCore(key, TEntity.Diff(current, after), idempotencyKey);
    }

    /// <summary>Deletes an item locally at once and queues the delete.</summary>
    /// <param name="key">The item's optimistic or server key.</param>
    /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
    public void Delete(string key, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _engine.Delete<TEntity>(key, idempotencyKey);
    }

    /// <summary>Finds an item by its optimistic or server key.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out TEntity? item)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _engine.TryGet(key, out item);
    }

    /// <summary>
    /// Streams snapshots of the items for consumers that are not bound to a UI: the current snapshot
    /// first, then a new one after each change. A slow consumer skips intermediate snapshots and
    /// always gets the latest.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    public async IAsyncEnumerable<IReadOnlyList<TEntity>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        Action onChanged = () => signal.Writer.TryWrite(true);
        if (_view is not null)
        {
            _view.Changed += onChanged;
        }

        try
        {
            IReadOnlyList<TEntity> last = Items;
            yield return last;
            while (await signal.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                signal.Reader.TryRead(out _);
                IReadOnlyList<TEntity> next = Items;
                if (!ReferenceEquals(next, last))
                {
                    last = next;
                    yield return next;
                }
            }
        }
        finally
        {
            if (_view is not null)
            {
                _view.Changed -= onChanged;
            }
        }
    }

    /// <inheritdoc/>
    IEnumerator<TEntity> IEnumerable<TEntity>.GetEnumerator() => Published.GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => Published.GetEnumerator();

    /// <summary>Applies a typed patch; the generated <c>Update(key, TPatch)</c> overloads call it.</summary>
    protected TEntity UpdateCore(string key, ISyncPatch<TEntity> patch, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(patch);
        return _engine.Update(key, patch, idempotencyKey);
    }

    private bool HasListeners => _collectionChanged is not null || _propertyChanged is not null || _changed is not null;

    /// <summary>Gets the list as of the last notification; without listeners, the current items.</summary>
    private IReadOnlyList<TEntity> Published
    {
        get
        {
            CatchUpUnobserved();
            return Volatile.Read(ref _published);
        }
    }

    /// <summary>
    /// Changes a handler list. A first listener gets notifications relative to the current items,
    /// not to what the set held when it last published; checked after the change, so a change that
    /// found no listener while this one was being added is caught up too.
    /// </summary>
    private void Listen(Action change)
    {
        lock (_listenersGate)
        {
            change();
            if (Interlocked.Exchange(ref _stale, 0) == 1)
            {
                CatchUp();
            }
        }
    }

    /// <summary>Without listeners there is no notification to stay in step with: the list just follows the view.</summary>
    private void CatchUpUnobserved()
    {
        if (!HasListeners && Interlocked.Exchange(ref _stale, 0) == 1)
        {
            CatchUp();
        }
    }

    private void CatchUp()
    {
        Volatile.Write(ref _published, _view!.Items);
        _publishedStatus = _view.Status;
        _publishedPendingCount = _view.PendingCount;
    }

    private void RequestPublish()
    {
        if (!HasListeners)
        {
            Volatile.Write(ref _stale, 1);

            // A listener added meanwhile either sees the flag (Listen) or is seen here.
            if (!HasListeners)
            {
                return;
            }
        }

        if (_context is not null && SynchronizationContext.Current != _context)
        {
            // One post at a time: changes that arrive before it runs are published by it.
            if (Interlocked.Exchange(ref _posted, 1) == 0)
            {
                _context.Post(static state => ((SyncSet<TEntity>)state!).PublishPosted(), this);
            }

            return;
        }

        Publish();
    }

    private void PublishPosted()
    {
        Volatile.Write(ref _posted, 0);
        Publish();
    }

    /// <summary>
    /// Raises the notifications for everything that changed since the last ones. Only one thread
    /// publishes at a time, without a lock: a request that finds another thread publishing leaves
    /// the work to it, so handlers never run concurrently and never under a lock.
    /// </summary>
    private void Publish()
    {
        if (Interlocked.Increment(ref _publishRequests) != 1)
        {
            return;
        }

        do
        {
            try
            {
                PublishOnce();
            }
            catch
            {
                // A throwing handler must not leave the set believing a publish is under way: it would never notify again.
                Volatile.Write(ref _publishRequests, 0);
                throw;
            }
        }
        while (Interlocked.Decrement(ref _publishRequests) != 0);
    }

    private void PublishOnce()
    {
        LocalView<TEntity> view = _view!;
        IReadOnlyList<TEntity> before = _published;
        IReadOnlyList<TEntity> after = view.Items;
        SyncSetStatus status = view.Status;
        int pendingCount = view.PendingCount;

        NotifyCollectionChangedEventArgs? change = CollectionDiff.Compute(before, after);
        Volatile.Write(ref _published, after);
        if (change is not null)
        {
            _collectionChanged?.Invoke(this, change);
            if (before.Count != after.Count)
            {
                _propertyChanged?.Invoke(this, CountChanged);
            }

            _propertyChanged?.Invoke(this, IndexerChanged);
            _propertyChanged?.Invoke(this, ItemsChanged);
        }

        if (status != _publishedStatus)
        {
            _publishedStatus = status;
            _propertyChanged?.Invoke(this, StatusChanged);
        }

        if (pendingCount != _publishedPendingCount)
        {
            _publishedPendingCount = pendingCount;
            _propertyChanged?.Invoke(this, PendingCountChanged);
        }

        if (change is not null)
        {
            _changed?.Invoke(this, new SyncSetChangedEventArgs<TEntity>(after));
        }
    }
}
