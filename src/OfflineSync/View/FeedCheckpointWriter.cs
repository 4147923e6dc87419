using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Keeps a resource's feed checkpoint in the store (S15): the server rows the view holds and the feed position they
/// are consistent with, so that after a restart the set shows them at once and resumes the feed instead of listing.
/// </summary>
/// <remarks>
/// <para>
/// Off the enqueue path (S1): the follower's loop hands changes over and returns; they are written in batches of at
/// most <see cref="MaxRowsPerWrite"/> rows, when that many are waiting or <see cref="WriteDelay"/> after the first
/// one, and when the follower stops. Each write holds the store's lock only as long as a few hundred rows take, so a
/// mutation made meanwhile waits little. A list is written in parts: the first removes the old rows and the position,
/// the last sets the new position, so a crash midway leaves no position and the next start lists again.
/// </para>
/// <para>
/// A checkpoint is a cache. Losing the last writes only makes the set replay more of the feed; a write that fails
/// stops the writing until the next list, so the store keeps the last consistent checkpoint rather than a torn one.
/// </para>
/// </remarks>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed class FeedCheckpointWriter<TEntity> : IDisposable
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>The most rows one write carries.</summary>
    internal const int MaxRowsPerWrite = 500;

    /// <summary>How long a change waits for others before it is written.</summary>
    internal static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(1);

    private readonly IMutationStore _store;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _pendingGate = new();

    // Held for the whole of a write, so writes reach the store in the order their changes were made.
    private readonly Lock _writeGate = new();
    private Dictionary<string, ServerRow<TEntity>?> _pending = new(StringComparer.Ordinal);
    private long _pendingSequence;
    private bool _timerArmed;
    private bool _broken;
    private bool _disposed;

    public FeedCheckpointWriter(IMutationStore store, TimeProvider timeProvider, ILogger logger)
    {
        _store = store;
        _logger = logger;
        _timer = timeProvider.CreateTimer(static state => ((FeedCheckpointWriter<TEntity>)state!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records the row the view holds for <paramref name="key"/> after the event at <paramref name="sequence"/> (<see langword="null"/>: none).</summary>
    public void RowChanged(string key, ServerRow<TEntity>? row, long sequence)
    {
        bool full;
        lock (_pendingGate)
        {
            _pending[key] = row;
            _pendingSequence = sequence;
            full = PendingAddedLocked();
        }

        if (full)
        {
            Flush();
        }
    }

    /// <summary>Takes the position of the checkpoint the view was restored from.</summary>
    public void Restored(long sequence)
    {
        lock (_pendingGate)
        {
            _pendingSequence = sequence;
        }
    }

    /// <summary>
    /// Records the row the view holds for <paramref name="key"/> after a push answer (<see langword="null"/>: the row was
    /// deleted), with the position unchanged: the server applied the change before the feed brings it, and the feed
    /// replays from the position whatever came after it. A row the feed recorded meanwhile at a newer version, or as
    /// removed, stays. Nothing is recorded before the checkpoint has a position (the first list keeps every row).
    /// </summary>
    /// <remarks>
    /// Written at once, on the timer's thread: a process killed within the feed's write delay would otherwise show the
    /// row as before the client's own write after a restart. Called under the engine's lock, so it never writes itself.
    /// </remarks>
    public void RowConfirmed(string key, ServerRow<TEntity>? row)
    {
        lock (_pendingGate)
        {
            if (_pendingSequence == 0
                || (row is not null && _pending.TryGetValue(key, out ServerRow<TEntity>? recorded) && (recorded is null || !VersionOrder.IsOlder(recorded.Version, row.Version))))
            {
                return;
            }

            _pending[key] = row;
            _timerArmed = true;
        }

        // Outside the lock: a timer due now may run Flush on this thread (a fake clock does).
        _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Replaces the checkpoint with a list the view now holds; changes recorded before it are superseded.</summary>
    public void ListReplaced(long sequence, IReadOnlyList<ListItem> rows)
    {
        lock (_writeGate)
        {
            lock (_pendingGate)
            {
                _pending = new Dictionary<string, ServerRow<TEntity>?>(StringComparer.Ordinal);
                _pendingSequence = sequence;
            }

            _broken = false;
            int count = Math.Max(1, (rows.Count + MaxRowsPerWrite - 1) / MaxRowsPerWrite);
            for (int part = 0; part < count; part++)
            {
                int start = part * MaxRowsPerWrite;
                bool last = part == count - 1;
                var write = new FeedCheckpointWrite
                {
                    Resource = TEntity.ResourceName,
                    Contract = EntityContract<TEntity>.Fingerprint,
                    Reset = part == 0,
                    Rows = Slice(rows, start, Math.Min(MaxRowsPerWrite, rows.Count - start)),
                    Sequence = last ? sequence : null,
                };
                if (!TryWrite(write))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Writes the changes waiting, if any.</summary>
    public void Flush()
    {
        lock (_writeGate)
        {
            Dictionary<string, ServerRow<TEntity>?> pending;
            long sequence;
            lock (_pendingGate)
            {
                _timerArmed = false;
                if (_pending.Count == 0)
                {
                    return;
                }

                pending = _pending;
                sequence = _pendingSequence;
                _pending = new Dictionary<string, ServerRow<TEntity>?>(StringComparer.Ordinal);
            }

            if (_broken || _disposed)
            {
                return;
            }

            var rows = new List<ListItem>(pending.Count);
            var removed = new List<string>();
            foreach ((string key, ServerRow<TEntity>? row) in pending)
            {
                if (row is null)
                {
                    removed.Add(key);
                }
                else
                {
                    rows.Add(new ListItem(key, row.OriginOptimisticKey, row.Version, JsonSerializer.SerializeToUtf8Bytes(row.Entity, TEntity.JsonTypeInfo)));
                }
            }

            TryWrite(new FeedCheckpointWrite
            {
                Resource = TEntity.ResourceName,
                Contract = EntityContract<TEntity>.Fingerprint,
                RemovedKeys = removed,
                Rows = rows,
                Sequence = sequence,
            });
        }
    }

    /// <summary>Stops the timer; what is still waiting is not written (call <see cref="Flush"/> first).</summary>
    public void Dispose()
    {
        lock (_writeGate)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    /// <summary>Arms the write after a change was added; returns whether enough wait to write them now.</summary>
    private bool PendingAddedLocked()
    {
        bool full = _pending.Count >= MaxRowsPerWrite;
        if (!full && !_timerArmed)
        {
            _timerArmed = true;
            _timer.Change(WriteDelay, Timeout.InfiniteTimeSpan);
        }

        return full;
    }

    private bool TryWrite(FeedCheckpointWrite write)
    {
        if (_disposed)
        {
            return false;
        }

        try
        {
            _store.WriteFeedCheckpoint(write);
            return true;
        }
        catch (Exception e) when (e is SyncStoreException or ObjectDisposedException)
        {
            // The store keeps its last consistent checkpoint; the next start resumes from there, or lists.
            _broken = true;
            _logger.LogWarning(e, "Keeping the {Resource} rows for the next start failed; the checkpoint stays at its last consistent position until the set lists again.", TEntity.ResourceName);
            return false;
        }
    }

    private static IReadOnlyList<ListItem> Slice(IReadOnlyList<ListItem> rows, int start, int count)
    {
        if (start == 0 && count == rows.Count)
        {
            return rows;
        }

        var part = new ListItem[count];
        for (int i = 0; i < count; i++)
        {
            part[i] = rows[start + i];
        }

        return part;
    }
}
