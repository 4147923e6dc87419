using System.Text;
using OfflineSync.Server.Feed;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Storage.Sqlite;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>Feeds of one resource woken by one commit share one read of the change log (S15 fan-out).</summary>
public sealed class ChangeReadsTests : IAsyncLifetime
{
    private static readonly PageBudget Page = new(100, 1024 * 1024);
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinesync-change-reads-").FullName;
    private GatedStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new GatedStore(new SqliteSyncStore(Path.Combine(_directory, "server.db"), new SyncServerOptions { FlushEachCommit = false }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task FeedsAtOnePosition_ShareOneRead_AndEachGetsTheWholePage()
    {
        await CreateAsync("a");
        var reads = new ChangeReads(_store);

        _store.Hold();
        Task<ChangePage>[] feeds = [.. Enumerable.Range(0, 20).Select(_ => reads.ReadAsync("folders", 0, Page, CancellationToken.None))];
        _store.Release();
        ChangePage[] pages = await Task.WhenAll(feeds);

        Assert.Equal(1, _store.Reads);
        Assert.All(pages, static p => Assert.Equal(1L, Assert.Single(p.Changes).Sequence));
    }

    [Fact]
    public async Task FeedWokenByALaterCommit_DoesNotJoinARead_StartedBeforeIt()
    {
        var reads = new ChangeReads(_store);
        _store.Hold();
        Task<ChangePage> early = reads.ReadAsync("folders", 0, Page, CancellationToken.None);
        await CreateAsync("b");
        Task<ChangePage> late = reads.ReadAsync("folders", 0, Page, CancellationToken.None);
        _store.Release();

        Assert.Single((await late).Changes);
        await early;
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task FeedThatLeaves_StopsWaiting_TheOthersStillGetTheRead()
    {
        await CreateAsync("c");
        var reads = new ChangeReads(_store);
        using var leaving = new CancellationTokenSource();
        _store.Hold();
        Task<ChangePage> left = reads.ReadAsync("folders", 0, Page, leaving.Token);
        Task<ChangePage> stays = reads.ReadAsync("folders", 0, Page, CancellationToken.None);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        _store.Release();

        Assert.Single((await stays).Changes);
    }

    private Task CreateAsync(string name) => _store.WriteAsync(
        session => new MutationProcessor(new SyncServerOptions()).ApplyAsync(
            session,
            new SyncResource<Folder>(),
            new MutationRequest(MutationKind.Create, null, null, "c1", null, null, Encoding.UTF8.GetBytes($"{{\"id\":\"{name}\",\"name\":\"{name}\"}}")),
            null).AsTask(),
        CancellationToken.None);

    /// <summary>The real SQLite store, with its change-log reads counted and, while held, kept waiting.</summary>
    private sealed class GatedStore(ISyncStore inner) : ISyncStore
    {
        private TaskCompletionSource _gate = Open();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public long KnownHead => inner.KnownHead;

        public event Action<long>? Committed
        {
            add => inner.Committed += value;
            remove => inner.Committed -= value;
        }

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public async Task<ChangePage> ReadChangesAsync(string resource, long after, PageBudget budget, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            Task gate = _gate.Task;
            ChangePage page = await inner.ReadChangesAsync(resource, after, budget, cancellationToken);
            await gate;
            return page;
        }

        public Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken cancellationToken) => inner.WriteAsync(work, cancellationToken);

        public Task<RowItem?> GetRowAsync(ReadScope scope, string key, CancellationToken cancellationToken) => inner.GetRowAsync(scope, key, cancellationToken);

        public Task<RowPage> ListPageAsync(ReadScope scope, string? after, PageBudget budget, CancellationToken cancellationToken) => inner.ListPageAsync(scope, after, budget, cancellationToken);

        public Task<RowPage> ReadSnapshotPageAsync(ReadScope scope, long after, long? through, PageBudget budget, CancellationToken cancellationToken) =>
            inner.ReadSnapshotPageAsync(scope, after, through, budget, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public void Dispose() => inner.Dispose();

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
