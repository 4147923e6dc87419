using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Events raised while the engine holds its lock, kept here and fired after the lock is released,
/// so a handler may call back into the client.
/// </summary>
internal sealed class EngineEvents
{
    private List<object>? _items;

    public bool IsEmpty => _items is null || _items.Count == 0;

    public void Add(object item) => (_items ??= new List<object>()).Add(item);

    /// <summary>Takes the collected events, leaving this list empty.</summary>
    public List<object>? Take()
    {
        List<object>? items = _items;
        _items = null;
        return items;
    }
}

/// <summary>A manual conflict waiting for the app's callback, started after the lock is released.</summary>
internal sealed record ConflictCallback(QueuedMutation Mutation, SyncConflict Conflict);
