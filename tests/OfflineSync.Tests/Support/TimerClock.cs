using Microsoft.Extensions.Time.Testing;

namespace OfflineSync.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that remembers when each timer it created is due, so a test can move
/// the clock to exactly the next one instead of stepping past it while the engine is still busy: what
/// runs on a timer then sees the time it was scheduled for, however loaded the machine is.
/// </summary>
public sealed class TimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<DateTimeOffset> _due = [];

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_due)
            {
                _due.Add(GetUtcNow() + dueTime);
            }
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Moves the clock to the earliest timer due after now, if any; returns whether it moved.</summary>
    public bool AdvanceToNextTimer()
    {
        DateTimeOffset now = GetUtcNow();
        DateTimeOffset? next;
        lock (_due)
        {
            _due.RemoveAll(due => due <= now);
            next = _due.Count == 0 ? null : _due.Min();
        }

        if (next is not { } due)
        {
            return false;
        }

        Advance(due - now);
        return true;
    }
}
