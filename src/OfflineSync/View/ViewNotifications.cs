using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Holds back the notifications of the engine's views while the engine's lock is held, and raises them once
/// it is released (<see cref="SyncEngine.Fire"/>): a set's <c>CollectionChanged</c>, <c>PropertyChanged</c> and
/// <c>Changed</c> handlers run on the view's notification, and a handler that waits for another thread's
/// <c>Create</c> would otherwise wait for a lock its own thread holds. The same rule as the engine's events.
/// </summary>
/// <remarks>Thread-safe. A view notified several times before a flush is notified once, in the order views first asked.</remarks>
internal sealed class ViewNotifications(Lock engineGate, ILogger logger)
{
    private readonly Lock _engineGate = engineGate;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private List<IDeferredNotification>? _pending;

    /// <summary>Returns <see langword="false"/> when the caller may notify now; otherwise keeps <paramref name="view"/> for <see cref="Flush"/>.</summary>
    public bool Defer(IDeferredNotification view)
    {
        if (!_engineGate.IsHeldByCurrentThread)
        {
            return false;
        }

        if (view.MarkPending())
        {
            lock (_gate)
            {
                (_pending ??= []).Add(view);
            }
        }

        return true;
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
                try
                {
                    view.RaisePending();
                }
                catch (Exception exception)
                {
                    // Raised for the engine's changes, as its events are: a throwing handler must not lose the others.
                    Log.HandlerFailed(_logger, "set notification", exception);
                }
            }
        }
    }
}

/// <summary>A view whose change notification <see cref="ViewNotifications"/> can hold back.</summary>
internal interface IDeferredNotification
{
    /// <summary>Marks a notification held; returns <see langword="false"/> when one was held already.</summary>
    bool MarkPending();

    /// <summary>Clears the mark and raises the notification.</summary>
    void RaisePending();
}
