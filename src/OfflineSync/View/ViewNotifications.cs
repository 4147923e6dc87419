using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Raises the change notifications of the engine's views the way the engine raises its events: never under the
/// engine's lock, and a throwing handler is logged without stopping the others. A set's <c>CollectionChanged</c>,
/// <c>PropertyChanged</c> and <c>Changed</c> handlers run on the view's notification; one that waits for another
/// thread's <c>Create</c> would otherwise wait for a lock its own thread holds. A change made under the lock is
/// held until <see cref="Flush"/>, which the engine calls once it released the lock (<see cref="SyncEngine.Fire"/>).
/// </summary>
/// <remarks>Thread-safe. A view notified several times before a flush is notified once, in the order views first asked.</remarks>
internal sealed class ViewNotifications(Lock engineGate, ILogger logger)
{
    private readonly Lock _engineGate = engineGate;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private List<IDeferredNotification>? _pending;

    // The list of the last flush, emptied, for the next notifications: a change under the lock then costs no allocation.
    private List<IDeferredNotification>? _spare;

    /// <summary>Raises the view's notification now, or holds it until <see cref="Flush"/> when the caller holds the engine's lock.</summary>
    public void Notify(IDeferredNotification view)
    {
        if (!_engineGate.IsHeldByCurrentThread)
        {
            Raise(view);
            return;
        }

        if (view.MarkPending())
        {
            lock (_gate)
            {
                if (_pending is null)
                {
                    _pending = _spare ?? [];
                    _spare = null;
                }

                _pending.Add(view);
            }
        }
    }

    /// <summary>Raises a notification that is never made under the engine's lock (a feed status change), guarded like the others.</summary>
    public void Raise(Action? handler)
    {
        try
        {
            handler?.Invoke();
        }
        catch (Exception exception)
        {
            Log.HandlerFailed(_logger, "set notification", exception);
        }
    }

    /// <summary>Raises the held notifications; call only without the engine's lock.</summary>
    public void Flush()
    {
        while (true)
        {
            List<IDeferredNotification>? pending;
            lock (_gate)
            {
                pending = _pending;
                _pending = null;
            }

            if (pending is null)
            {
                return;
            }

            foreach (IDeferredNotification view in pending)
            {
                view.ClearPending();
                Raise(view);
            }

            pending.Clear();
            lock (_gate)
            {
                _spare ??= pending;
            }
        }
    }

    private void Raise(IDeferredNotification view)
    {
        try
        {
            view.RaiseChanged();
        }
        catch (Exception exception)
        {
            // As for the engine's events: a throwing handler must not stop the drain, the feed or the notifications after it.
            Log.HandlerFailed(_logger, "set notification", exception);
        }
    }
}

/// <summary>A view whose change notification <see cref="ViewNotifications"/> raises.</summary>
internal interface IDeferredNotification
{
    /// <summary>Marks a notification held; returns <see langword="false"/> when one was held already.</summary>
    bool MarkPending();

    /// <summary>Clears the mark, before the held notification is raised.</summary>
    void ClearPending();

    /// <summary>Raises the notification.</summary>
    void RaiseChanged();
}
