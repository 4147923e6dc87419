using System.Diagnostics.CodeAnalysis;

namespace OfflineSync.Tests.View;

/// <summary>
/// An engine reduced to what a set needs from it: local changes go straight into the views, with
/// queue sequences, and nothing is sent. It lets the set's live features be tested on their own.
/// </summary>
internal sealed class ViewOnlyEngine : ISyncEngine, ILocalViewSource
{
    private readonly Dictionary<Type, object> _views = new();
    private long _sequence;

    public long LastSequence => Interlocked.Read(ref _sequence);

    public LocalView<TEntity> ViewOf<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        lock (_views)
        {
            if (!_views.TryGetValue(typeof(TEntity), out object? view))
            {
                _views[typeof(TEntity)] = view = new LocalView<TEntity>(ViewFixtures.ClientId);
            }

            return (LocalView<TEntity>)view;
        }
    }

    public TEntity Create<TEntity>(TEntity item, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (TEntity.GetKey(item).Length == 0)
        {
            TEntity.SetKey(item, OptimisticKeys.NewString());
        }

        ViewOf<TEntity>().AddCreate(Interlocked.Increment(ref _sequence), item);
        ViewOf<TEntity>().TryGet(TEntity.GetKey(item), out TEntity? shown);
        return shown!;
    }

    public TEntity Update<TEntity>(string key, ISyncPatch<TEntity> patch, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity> =>
        ViewOf<TEntity>().AddUpdate(Interlocked.Increment(ref _sequence), key, patch);

    public void Delete<TEntity>(string key, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity> =>
        ViewOf<TEntity>().AddDelete(Interlocked.Increment(ref _sequence), key);

    public bool TryGet<TEntity>(string key, [NotNullWhen(true)] out TEntity? item)
        where TEntity : class, ISyncEntity<TEntity> =>
        ViewOf<TEntity>().TryGet(key, out item);

    public IReadOnlyList<TEntity> GetItems<TEntity>()
        where TEntity : class, ISyncEntity<TEntity> =>
        ViewOf<TEntity>().Items;
}

/// <summary>A UI-like context: posted work runs only when the test pumps it, with the context current.</summary>
internal sealed class PumpedContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

    public int Pending
    {
        get
        {
            lock (_posted)
            {
                return _posted.Count;
            }
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_posted)
        {
            _posted.Enqueue((d, state));
        }
    }

    public void Pump()
    {
        SynchronizationContext? previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) work;
                lock (_posted)
                {
                    if (!_posted.TryDequeue(out work))
                    {
                        return;
                    }
                }

                work.Callback(work.State);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Runs <paramref name="action"/> with this context current, as code on the UI thread would.</summary>
    public T Run<T>(Func<T> action)
    {
        SynchronizationContext? previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return action();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
