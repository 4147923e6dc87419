using System.Collections.Concurrent;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Feed;

/// <summary>
/// Reads the change log for the feeds of one server instance, so that a commit costs one read per resource, not
/// one per open feed: feeds of a resource woken by the same commit are at the same position, and the first of
/// them to ask starts the read the others join. With hundreds of feeds per instance this is the difference
/// between one query and hundreds after every write (and, on PostgreSQL, between a free connection for the next
/// write and a pool drained by feeds).
/// </summary>
/// <remarks>
/// A feed joins only a read that started after the commits it was woken for: the key holds the store's known head
/// when the feed asked, and a read is started only after that head was committed, so its snapshot holds them.
/// The read runs for whoever waits on it; a feed that leaves stops waiting, not the read.
/// </remarks>
internal sealed class ChangeReads
{
    private readonly ISyncStore _store;
    private readonly ConcurrentDictionary<(string Resource, long After, PageBudget Budget, long Head), Task<ChangePage>> _reads = new();

    public ChangeReads(ISyncStore store) => _store = store;

    public Task<ChangePage> ReadAsync(string resource, long after, PageBudget budget, CancellationToken cancellationToken)
    {
        var key = (resource, after, budget, _store.KnownHead);
        if (!_reads.TryGetValue(key, out Task<ChangePage>? read))
        {
            var started = new TaskCompletionSource<ChangePage>(TaskCreationOptions.RunContinuationsAsynchronously);
            read = _reads.GetOrAdd(key, started.Task);
            if (read == started.Task)
            {
                _ = RunAsync(key, started);
            }
        }

        return read.WaitAsync(cancellationToken);
    }

    private async Task RunAsync((string Resource, long After, PageBudget Budget, long Head) key, TaskCompletionSource<ChangePage> read)
    {
        try
        {
            read.SetResult(await _store.ReadChangesAsync(key.Resource, key.After, key.Budget, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            read.SetException(e);
        }
        finally
        {
            _reads.TryRemove(new KeyValuePair<(string, long, PageBudget, long), Task<ChangePage>>(key, read.Task));
        }
    }
}
