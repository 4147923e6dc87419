using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Keeps a resource's feed checkpoint in the store (S15): the server rows the view holds and the feed position they
/// are consistent with, so that after a restart the set shows them at once and resumes the feed instead of listing.
/// </summary>
/// <remarks>
/// <para>
/// Off the enqueue path (S1): the follower's loop hands over the keys its events changed and returns; they are written
/// in batches of at most <see cref="MaxRowsPerWrite"/> rows, when that many are waiting or <see cref="WriteDelay"/> after
/// the first one, and when the follower stops. A write takes each row as the view holds it then, never a state seen
/// earlier, so it cannot put back a row older than one the store already keeps. Each write holds the store's lock
/// only as long as a few hundred rows take, so a mutation made meanwhile waits little.
/// </para>
/// <para>
/// The rows a push answer confirmed are not written here later: the engine records them with the answer, in one store
/// transaction (<see cref="KeepAnswered"/>). Written apart, a process killed between the two writes would come back
/// showing the row as before its own write and base its next edit on that older version. One gate, shared by the writers
/// of all of an engine's resources and held by the engine while it records an answer and applies it to the views,
/// orders every write of kept rows.
/// </para>
/// <para>
/// A list is written in parts, each under the gate: the first removes the old rows and the position, the last sets
/// the new position, so a crash midway leaves no position and the next start lists again. Rows the view holds otherwise
/// than listed (a push answer stored them while the list was read) go into the last part as the view holds them.
/// </para>
/// <para>
/// A checkpoint is a cache. Losing the last writes only makes the set replay more of the feed; a feed write that fails
/// stops the feed's writing until the next list, so the store keeps the last consistent checkpoint rather than a torn
/// one (the rows an answer keeps are still written: they do not move the position).
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
    private readonly LocalView<TEntity> _view;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _pendingGate = new();

    // Held for the whole of a write, shared with the engine (see the remarks); guards the fields below it.
    private readonly Lock _writeGate;
    private long? _writtenSequence; // the position the store holds; null: none (before the first list, while one is written)
    private bool _listing;
    private bool _broken;
    private bool _disposed;

    // Guarded by _pendingGate.
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private long _pendingSequence;
    private bool _timerArmed;

    /// <summary>Creates the writer of one view's rows.</summary>
    /// <param name="store">The store.</param>
    /// <param name="view">The view whose rows are kept.</param>
    /// <param name="writeGate">The engine's gate of every write of kept rows (<see cref="FeedSettings.KeptRowsGate"/>).</param>
    /// <param name="timeProvider">The clock of the write delay.</param>
    /// <param name="logger">The logger.</param>
    public FeedCheckpointWriter(IMutationStore store, LocalView<TEntity> view, Lock writeGate, TimeProvider timeProvider, ILogger logger)
    {
        _store = store;
        _view = view;
        _writeGate = writeGate;
        _logger = logger;
        _timer = timeProvider.CreateTimer(static state => ((FeedCheckpointWriter<TEntity>)state!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records that the event at <paramref name="sequence"/> changed the row of <paramref name="key"/>.</summary>
    public void RowChanged(string key, long sequence)
    {
        bool full;
        lock (_pendingGate)
        {
            _pending.Add(key);
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
        lock (_writeGate)
        {
            _writtenSequence = sequence;
        }

        lock (_pendingGate)
        {
            _pendingSequence = sequence;
        }
    }

    /// <summary>
    /// Gets whether the rows a push answer left are kept now: the store holds a position, or a list is being written.
    /// Before the first list there is nothing to keep them with, and the list brings them. The caller holds the gate.
    /// </summary>
    public bool KeepsAnswers => !_disposed && (_writtenSequence is not null || _listing);

    /// <summary>
    /// The change that keeps the rows a push answer left, at the position the store holds, for the engine to write in the
    /// answer's transaction; <see langword="null"/> while a list is being written: the keys then go into the list's last
    /// part, as the view holds them. The caller holds the gate.
    /// </summary>
    /// <param name="removed">The keys of rows the answer deleted.</param>
    /// <param name="rows">The rows the answer left, as the view will hold them.</param>
    public FeedCheckpointWrite? KeepAnswered(IReadOnlyList<string> removed, IReadOnlyList<ListItem> rows)
    {
        if (_writtenSequence is long position)
        {
            return new FeedCheckpointWrite
            {
                Resource = TEntity.ResourceName,
                Contract = EntityContract<TEntity>.Fingerprint,
                RemovedKeys = removed,
                Rows = rows,
                Sequence = position,
            };
        }

        if (_listing)
        {
            lock (_pendingGate)
            {
                _pending.UnionWith(removed);
                _pending.UnionWith(rows.Select(static r => r.Key));
            }
        }

        return null;
    }

    /// <summary>Replaces the checkpoint with a list the view now holds; changes recorded before it are superseded.</summary>
    /// <param name="sequence">The position the list is consistent with.</param>
    /// <param name="rows">The rows listed.</param>
    /// <param name="heldOtherwise">The keys whose row the view holds otherwise than listed (see <see cref="LocalView{TEntity}.ReplaceServerRows"/>).</param>
    public void ListReplaced(long sequence, IReadOnlyList<ListItem> rows, IReadOnlyCollection<string> heldOtherwise)
    {
        lock (_pendingGate)
        {
            _pending.UnionWith(heldOtherwise);
            _pendingSequence = sequence;
        }

        int count = Math.Max(1, (rows.Count + MaxRowsPerWrite - 1) / MaxRowsPerWrite);
        try
        {
            WriteList(sequence, rows, count);
        }
        finally
        {
            lock (_writeGate)
            {
                _listing = false;
            }
        }
    }

    /// <summary>Writes the changes waiting, if any: each row as the view holds it now, at the position of the last event.</summary>
    public void Flush()
    {
        lock (_writeGate)
        {
            HashSet<string> keys;
            long sequence;
            lock (_pendingGate)
            {
                _timerArmed = false;
                if (_pending.Count == 0 || (_writtenSequence is null && !_broken))
                {
                    // Nothing, or a list is being written: its last part takes what waits.
                    return;
                }

                sequence = _pendingSequence;
                keys = TakePendingLocked();
            }

            if (_broken || _disposed)
            {
                return;
            }

            IReadOnlyList<string> removed = HeldRows(keys, out List<ListItem> rows);
            if (TryWrite(new FeedCheckpointWrite
            {
                Resource = TEntity.ResourceName,
                Contract = EntityContract<TEntity>.Fingerprint,
                RemovedKeys = removed,
                Rows = rows,
                Sequence = sequence,
            }))
            {
                _writtenSequence = sequence;
            }
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

    /// <summary>Writes a list in parts (see the remarks); <see cref="_listing"/> is set from the first part on.</summary>
    private void WriteList(long sequence, IReadOnlyList<ListItem> rows, int count)
    {
        for (int part = 0; part < count; part++)
        {
            // Each part under the gate, the gate released between them: an answer recorded meanwhile waits one part, not the list.
            lock (_writeGate)
            {
                if (part == 0)
                {
                    _broken = false;
                    _listing = true;
                    _writtenSequence = null;
                }
                else if (_broken)
                {
                    return;
                }

                bool last = part == count - 1;
                HashSet<string> viewRows;
                lock (_pendingGate)
                {
                    viewRows = last ? TakePendingLocked() : [.. _pending];
                }

                int start = part * MaxRowsPerWrite;
                IReadOnlyList<ListItem> written = Listed(rows, start, Math.Min(MaxRowsPerWrite, rows.Count - start), viewRows);
                IReadOnlyList<string> removed = [];
                if (last && viewRows.Count > 0)
                {
                    removed = HeldRows(viewRows, out List<ListItem> held);
                    written = [.. written, .. held];
                }

                bool done = TryWrite(new FeedCheckpointWrite
                {
                    Resource = TEntity.ResourceName,
                    Contract = EntityContract<TEntity>.Fingerprint,
                    Reset = part == 0,
                    RemovedKeys = removed,
                    Rows = written,
                    Sequence = last ? sequence : null,
                });
                if (done && last)
                {
                    _writtenSequence = sequence;
                }
            }
        }
    }

    /// <summary>The rows the view holds for <paramref name="keys"/>, as kept rows; returns the keys it holds none for.</summary>
    private List<string> HeldRows(HashSet<string> keys, out List<ListItem> rows)
    {
        var removed = new List<string>();
        rows = new List<ListItem>(keys.Count);
        foreach (string key in keys)
        {
            if (_view.HeldRow(key) is { } row)
            {
                rows.Add(new ListItem(key, row.OriginOptimisticKey, row.Version, JsonSerializer.SerializeToUtf8Bytes(row.Entity, TEntity.JsonTypeInfo)));
            }
            else
            {
                removed.Add(key);
            }
        }

        return removed;
    }

    private HashSet<string> TakePendingLocked()
    {
        HashSet<string> taken = _pending;
        _pending = new HashSet<string>(StringComparer.Ordinal);
        return taken;
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

    /// <summary>The listed rows of one part, without those the view's own rows replace.</summary>
    private static IReadOnlyList<ListItem> Listed(IReadOnlyList<ListItem> rows, int start, int count, HashSet<string> viewRows)
    {
        if (start == 0 && count == rows.Count && viewRows.Count == 0)
        {
            return rows;
        }

        var part = new List<ListItem>(count);
        for (int i = start; i < start + count; i++)
        {
            if (!viewRows.Contains(rows[i].Key))
            {
                part.Add(rows[i]);
            }
        }

        return part;
    }
}
