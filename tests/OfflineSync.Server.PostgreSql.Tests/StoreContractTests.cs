using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Server.PostgreSql.Tests.Support;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Storage.Sqlite;
using TodoApp.Model;

namespace OfflineSync.Server.PostgreSql.Tests;

/// <summary>The SQLite store keeps the store contract.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinesync-store-contract-").FullName;

    private protected override ISyncStore OpenStore(SyncServerOptions options) => new SqliteSyncStore(Path.Combine(_directory, "server.db"), options);

    protected override Task DeleteDataAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The PostgreSQL store keeps the store contract; each test has a schema of its own in the class's database.</summary>
public sealed class PostgresStoreContractTests(TestDatabase database) : StoreContractTests, IClassFixture<TestDatabase>, IUsesPostgres
{
    private readonly string _schema = TestDatabase.NewSchema();

    private protected override ISyncStore OpenStore(SyncServerOptions options) =>
        options.UsePostgres(database.ConnectionString, o => o.Schema = _schema).OpenStore(NullLoggerFactory.Instance);

    protected override Task DeleteDataAsync() => Task.CompletedTask; // the database is dropped with the class
}

/// <summary>
/// What every server store promises (docs/protocol.md, "Server storage"), written once and run against each
/// store: the same rows, versions, origins, change log, idempotency records, key sequences and retention.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private readonly List<ISyncStore> _opened = [];

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (ISyncStore store in _opened)
        {
            await store.DisposeAsync();
        }

        await DeleteDataAsync();
    }

    [StoreFact] // S15: a row's origin reaches its creating client only
    public async Task Create_RowReadListedAndLogged_OriginShownToItsCreatorOnly()
    {
        StoreClient client = Open();
        string optimistic = OptimisticKeys.NewString();

        MutationOutcome created = await client.ApplyAsync(StoreClient.Create("c1", "Work", optimistic));

        Assert.Equal((201, optimistic, 1L), (created.Status, created.OptimisticKey, created.Version));
        RowItem mine = (await client.Store.GetRowAsync(StoreClient.Scope("c1"), created.Key!, default))!.Value;
        RowItem theirs = (await client.Store.GetRowAsync(StoreClient.Scope("c2"), created.Key!, default))!.Value;
        Assert.Equal((optimistic, 1L, "Work"), (mine.Origin, mine.Version, StoreClient.NameOf(mine.Json)));
        Assert.Null(theirs.Origin);
        StoredChange change = Assert.Single(await client.ChangesAsync());
        Assert.Equal((StoredChangeKind.Added, created.Key, mine.Sequence), (change.Kind, change.Key, change.Sequence));
        Assert.Equal(optimistic, StoreClient.Scope("c1").OriginOf(change.ClientId, change.OriginOptimisticKey));
        Assert.Null(StoreClient.Scope("c2").OriginOf(change.ClientId, change.OriginOptimisticKey));
        Assert.Null(Assert.Single((await client.ListAsync(clientId: null)).Items).Origin);
    }

    [StoreFact]
    public async Task List_KeysComparedByteByByte_PagedWithHasMoreAndTheHeadOfItsSnapshot()
    {
        StoreClient client = Open();
        foreach (string key in (string[])["a", "9", "B", "10", "_"])
        {
            await client.ApplyAsync(StoreClient.Create("c1", "n" + key, key));
        }

        RowPage first = await client.ListAsync(budget: new PageBudget(3, 1024 * 1024));
        RowPage second = await client.ListAsync(after: first.Items[^1].Key, budget: new PageBudget(3, 1024 * 1024));

        Assert.Equal(["10", "9", "B"], first.Items.Select(static i => i.Key));
        Assert.Equal(["_", "a"], second.Items.Select(static i => i.Key));
        Assert.Equal((true, false), (first.HasMore, second.HasMore));
        Assert.Equal(5, first.Sequence);
        Assert.Equal(5, second.Sequence);
    }

    [StoreFact] // S15: the snapshot is a compacted change log
    public async Task Snapshot_LiveRowsInOrderOfTheirLastChange_WithItsHead()
    {
        StoreClient client = Open();
        string a = await client.CreatedKeyAsync("c1", "a");
        string b = await client.CreatedKeyAsync("c1", "b");
        string c = await client.CreatedKeyAsync("c1", "c");
        await client.ApplyAsync(StoreClient.Rename("c1", a, "a2"));
        await client.ApplyAsync(StoreClient.Delete("c1", b));

        (List<RowItem> rows, long head, int pages) = await client.SnapshotAsync();

        Assert.Equal([c, a], rows.Select(static r => r.Key));
        Assert.Equal([3L, 4L], rows.Select(static r => r.Sequence));
        Assert.Equal((5L, 1), (head, pages));
        Assert.Equal(5, client.Store.KnownHead);
    }

    [StoreFact] // S15: a snapshot is read in short pages, nothing held between them; what changes meanwhile comes from the log after its bound
    public async Task Snapshot_InPages_BoundedByTheFirstPagesHead_ARowChangedMeanwhileMovesToTheLog()
    {
        StoreClient client = Open();
        var keys = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            keys.Add(await client.CreatedKeyAsync("c1", "n" + i));
        }

        bool changed = false;
        (List<RowItem> rows, long bound, int pages) = await client.SnapshotAsync(budget: new PageBudget(3, 1024 * 1024), betweenPages: async () =>
        {
            if (!changed)
            {
                changed = true;
                await client.ApplyAsync(StoreClient.Rename("c1", keys[5], "renamed")); // not sent yet: it moves past the bound
                await client.ApplyAsync(StoreClient.Delete("c1", keys[6]));
            }
        });

        Assert.Equal((7L, 2), (bound, pages));
        Assert.Equal(keys.Take(5), rows.Select(static r => r.Key));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], rows.Select(static r => r.Sequence));
        List<StoredChange> after = await client.ChangesAsync(bound);
        Assert.Equal([(keys[5], StoredChangeKind.Changed, 8L), (keys[6], StoredChangeKind.Removed, 9L)], after.Select(static c => (c.Key, c.Kind, c.Sequence)));
        Assert.Equal("renamed", StoreClient.NameOf(after[0].Json));
    }

    [StoreFact] // a page ends at its byte budget, after at least one row, and says that more follow
    public async Task Pages_EndAtTheirByteBudget_AfterAtLeastOneRow_AndSayMoreFollow()
    {
        StoreClient client = Open();
        string name = new('x', 1000);
        for (int i = 0; i < 5; i++)
        {
            await client.ApplyAsync(StoreClient.Create("c1", name, $"k{i}"));
        }

        var budget = new PageBudget(100, 2500); // rows of about 1,030 bytes: the third starts under 2,500 bytes, the fourth does not
        RowPage list = await client.ListAsync(budget: budget);
        (List<RowItem> snapshot, _, int pages) = await client.SnapshotAsync(budget: budget);
        ChangePage log = await client.Store.ReadChangesAsync(Category.ResourceName, 0, budget, default);
        RowPage tiny = await client.ListAsync(budget: new PageBudget(100, 1));
        RowPage last = await client.ListAsync(after: "k2", budget: budget);

        Assert.Equal(["k0", "k1", "k2"], list.Items.Select(static i => i.Key));
        Assert.Equal(["k0"], tiny.Items.Select(static i => i.Key));
        Assert.Equal(["k3", "k4"], last.Items.Select(static i => i.Key));
        Assert.Equal((true, true, false), (list.HasMore, tiny.HasMore, last.HasMore));
        Assert.Equal((5, 2), (snapshot.Count, pages));
        Assert.Equal((3, true), (log.Changes.Count, log.HasMore));
        Assert.Equal(5, (await client.ChangesAsync(budget: budget)).Count);
    }

    [StoreFact]
    public async Task EmptyStore_SnapshotListAndLogAreEmptyAtHeadZero()
    {
        StoreClient client = Open();

        (List<RowItem> rows, long head, _) = await client.SnapshotAsync();
        ChangePage page = await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default);

        Assert.Empty(rows);
        Assert.Equal(0, head);
        Assert.Equal((0L, 0L, 0, false), (page.Head, page.PrunedThrough, page.Changes.Count, page.HasMore));
        Assert.Empty((await client.ListAsync()).Items);
    }

    [StoreFact] // all or nothing: row, change and idempotency record together
    public async Task Transaction_WorkThrows_NothingOfItIsStored()
    {
        StoreClient client = Open();
        var processor = new MutationProcessor(new SyncServerOptions());

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Store.WriteAsync<int>(async session =>
        {
            await processor.ApplyAsync(session, StoreClient.Categories, StoreClient.Create("c1", "lost", idempotencyKey: "k1"), null);
            throw new InvalidOperationException("the answer could not be written");
        }, default));

        Assert.Empty((await client.ListAsync()).Items);
        Assert.Empty(await client.ChangesAsync());
        MutationOutcome again = await client.ApplyAsync(StoreClient.Create("c1", "kept", idempotencyKey: "k1"));
        Assert.False(again.Replayed);
        Assert.Equal(1, (await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default)).Head);
    }

    [StoreFact] // a batch reads its own writes: create, update and delete of one row in one transaction; the log keeps each row's last change
    public async Task Batch_CreateUpdateDeleteOfOneRow_EachSeesTheOneBefore_TheLogKeepsEachRowsLastChange()
    {
        StoreClient client = Open();
        string optimistic = OptimisticKeys.NewString();

        List<MutationOutcome> outcomes = await client.ApplyBatchAsync(
            StoreClient.Create("c1", "one", optimistic),
            StoreClient.Rename("c1", optimistic, "two", ifMatch: 1),
            StoreClient.Rename("c1", optimistic, "three", ifMatch: 2),
            StoreClient.Create("c1", "other"),
            StoreClient.Delete("c1", optimistic, ifMatch: 3));

        Assert.Equal([201, 200, 200, 201, 204], outcomes.Select(static o => o.Status));
        Assert.Equal(["one", "two", "three"], outcomes.Take(3).Select(static o => StoreClient.NameOf(o.Body)));
        // Sequences grow in the order of the changes; a store may skip the numbers of the changes it replaced.
        List<StoredChange> log = await client.ChangesAsync();
        Assert.Equal([(StoredChangeKind.Added, outcomes[3].Key), (StoredChangeKind.Removed, outcomes[0].Key)], log.Select(static c => (c.Kind, (string?)c.Key)));
        Assert.True(log[0].Sequence < log[1].Sequence);
        Assert.Equal((4L, (byte[]?)null), (log[1].Version, log[1].Json));
        Assert.Equal(("c1", optimistic), (log[1].ClientId, log[1].OriginOptimisticKey));
        RowItem other = Assert.Single((await client.ListAsync()).Items);
        Assert.Equal((outcomes[3].Key, log[0].Sequence), (other.Key, other.Sequence));
        Assert.Equal(log[1].Sequence, client.Store.KnownHead);
    }

    [StoreFact] // the change log is bounded per update: however often a row changes, it has one entry, with the row as it is
    public async Task ChangeLog_ManyUpdatesOfOneRow_OneEntryWithTheRowAsItIs_AReaderFromAnyPositionGetsIt()
    {
        StoreClient client = Open();
        string key = await client.CreatedKeyAsync("c1", "v1");
        string other = await client.CreatedKeyAsync("c1", "other");
        for (int i = 2; i <= 30; i++)
        {
            await client.ApplyAsync(StoreClient.Rename("c1", key, "v" + i));
        }

        List<StoredChange> fromStart = await client.ChangesAsync();
        List<StoredChange> fromMiddle = await client.ChangesAsync(after: 20);
        List<StoredChange> fromEnd = await client.ChangesAsync(after: 31);

        Assert.Equal([(other, 2L, StoredChangeKind.Added), (key, 31L, StoredChangeKind.Changed)], fromStart.Select(static c => (c.Key, c.Sequence, c.Kind)));
        Assert.Equal((30L, "v30"), (fromStart[1].Version, StoreClient.NameOf(fromStart[1].Json)));
        Assert.Equal([31L], fromMiddle.Select(static c => c.Sequence));
        Assert.Empty(fromEnd);
    }

    [StoreFact] // a batch over rows stored before: what it reads ahead is what it would have read one by one
    public async Task Batch_OfRowsStoredBefore_ReplaysUpdatesDeletesAndStopsAtAMissingRow()
    {
        StoreClient client = Open();
        MutationRequest createA = StoreClient.Create("c1", "a", idempotencyKey: "create-a");
        string a = (await client.ApplyAsync(createA)).Key!;
        string b = await client.CreatedKeyAsync("c1", "b");

        List<MutationOutcome> outcomes = await client.ApplyBatchAsync(
            createA,
            StoreClient.Rename("c1", a, "a2", ifMatch: 1, idempotencyKey: "rename-a"),
            StoreClient.Rename("c1", a, "a2", ifMatch: 1, idempotencyKey: "rename-a"),
            StoreClient.Delete("c1", b, ifMatch: 1),
            StoreClient.Rename("c1", "missing", "x"),
            StoreClient.Rename("c1", a, "never"));

        Assert.Equal([201, 200, 200, 204, 404], outcomes.Select(static o => o.Status));
        Assert.Equal([true, false, true], outcomes.Take(3).Select(static o => o.Replayed));
        Assert.Equal(a, outcomes[0].Key);
        Assert.Equal([2L, 2L], outcomes.Skip(1).Take(2).Select(static o => o.Version!.Value));
        List<StoredChange> log = await client.ChangesAsync();
        Assert.Equal([(a, StoredChangeKind.Changed), (b, StoredChangeKind.Removed)], log.Select(static c => (c.Key, c.Kind)));
        Assert.Equal("a2", StoreClient.NameOf(Assert.Single((await client.ListAsync()).Items).Json));
    }

    [StoreFact] // S10: a stale base version is a conflict and changes nothing
    public async Task Update_StaleVersion_ConflictWithCurrentRow_NothingLogged()
    {
        StoreClient client = Open();
        string key = await client.CreatedKeyAsync("c1", "a");
        await client.ApplyAsync(StoreClient.Rename("c2", key, "b", ifMatch: 1));

        MutationOutcome stale = await client.ApplyAsync(StoreClient.Rename("c1", key, "c", ifMatch: 1));

        Assert.Equal((409, 2L), (stale.Status, stale.Problem!.CurrentVersion));
        Assert.Equal("b", StoreClient.NameOf(stale.Problem.Current));
        StoredChange change = Assert.Single(await client.ChangesAsync());
        Assert.Equal((2L, "b"), (change.Version, StoreClient.NameOf(change.Json)));
    }

    [StoreFact] // idempotency per (client, key), 24 h by default
    public async Task Idempotency_ReplayedToItsClient_NotToAnother_ExpiredRecordReplaced()
    {
        StoreClient client = Open(o => o.IdempotencyRetention = TimeSpan.FromHours(1));
        MutationRequest request = StoreClient.Create("c1", "once", "optimistic_01JDZ8Q6N4M1W5X2R7T9K3H8VB", idempotencyKey: "key-1");

        MutationOutcome first = await client.ApplyAsync(request);
        MutationOutcome replay = await client.ApplyAsync(request);
        MutationOutcome otherClient = await client.ApplyAsync(request with { ClientId = "c2" });
        MutationOutcome reused = await client.ApplyAsync(StoreClient.Create("c1", "another", idempotencyKey: "key-1"));
        Time.Advance(TimeSpan.FromHours(2));
        MutationOutcome afterExpiry = await client.ApplyAsync(request);
        MutationOutcome replayOfNewRecord = await client.ApplyAsync(request);

        Assert.Equal((201, false), (first.Status, first.Replayed));
        Assert.Equal((201, true, first.Key, first.Version), (replay.Status, replay.Replayed, replay.Key, replay.Version));
        Assert.False(otherClient.Replayed);
        Assert.NotEqual(first.Key, otherClient.Key);
        Assert.Equal(422, reused.Status);
        Assert.False(afterExpiry.Replayed);
        Assert.Equal((true, afterExpiry.Key), (replayOfNewRecord.Replayed, replayOfNewRecord.Key));
        Assert.Equal(3, (await client.ListAsync()).Items.Count);
    }

    [StoreFact] // S2: numeric keys from a sequence per resource, never reused, above any kept proposed key
    public async Task KeySequence_NeverRepeats_ContinuesAboveARaisedKey_AcrossTransactions()
    {
        StoreClient client = Open();
        var drawn = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            drawn.Add(await client.Store.WriteAsync(session => session.NextKeyAsync("counters").AsTask(), default));
        }

        await client.Store.WriteAsync(async session =>
        {
            await session.RaiseKeyAsync("counters", 100);
            await session.RaiseKeyAsync("counters", 50);
            return 0;
        }, default);
        drawn.Add(await client.Store.WriteAsync(session => session.NextKeyAsync("counters").AsTask(), default));
        drawn.Add(await client.Store.WriteAsync(session => session.NextKeyAsync("badges").AsTask(), default));

        Assert.Equal([1L, 2L, 3L, 101L, 1L], drawn);
    }

    [StoreFact] // S19: a position the log no longer covers is not caught up silently
    public async Task Retention_ByCount_LogKeepsTheNewest_OlderPositionsAreNotCovered()
    {
        StoreClient client = Open(o => o.MaxRetainedChanges = 3);
        for (int i = 0; i < 6; i++)
        {
            await client.CreatedKeyAsync("c1", "n" + i);
        }

        ChangePage fromStart = await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default);
        ChangePage fromCut = await client.Store.ReadChangesAsync(Category.ResourceName, 3, StoreClient.Rows100, default);

        Assert.Equal((6L, 3L), (fromStart.Head, fromStart.PrunedThrough));
        Assert.False(fromStart.Covers(0));
        Assert.False(fromStart.Covers(2));
        Assert.True(fromCut.Covers(3));
        Assert.Equal([4L, 5L, 6L], fromCut.Changes.Select(static c => c.Sequence));
        Assert.False(fromCut.Covers(7)); // a position past the head belongs to another database
        Assert.Equal(6, (await client.ListAsync()).Items.Count);
    }

    [StoreFact] // S19: the count limit counts entries, one per row: updates of a kept row do not push others out
    public async Task Retention_ByCount_CountsEntries_UpdatesReplaceTheirRowsEntry()
    {
        StoreClient client = Open(o => o.MaxRetainedChanges = 3);
        string a = await client.CreatedKeyAsync("c1", "a");
        await client.CreatedKeyAsync("c1", "b");
        await client.CreatedKeyAsync("c1", "c");
        for (int i = 0; i < 10; i++)
        {
            await client.ApplyAsync(StoreClient.Rename("c1", a, "a" + i));
        }

        ChangePage page = await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default);

        Assert.Equal((0L, 3), (page.PrunedThrough, page.Changes.Count));
        Assert.True(page.Covers(0));
    }

    [StoreFact] // S19: retention by size: the oldest entries go until the rest weigh at most the limit
    public async Task Retention_BySize_OldestEntriesGoUntilTheRestFit()
    {
        StoreClient client = Open(o => o.MaxRetainedChangeBytes = 1024 * 1024);
        string name = new('x', 300 * 1024);
        for (int i = 0; i < 5; i++)
        {
            await client.ApplyAsync(StoreClient.Create("c1", name, $"k{i}"));
        }

        ChangePage page = await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default);

        // Five rows of about 300 KiB: the first two go, three fit in 1 MiB.
        Assert.Equal((2L, 5L), (page.PrunedThrough, page.Head));
        Assert.Equal([3L, 4L, 5L], page.Changes.Select(static c => c.Sequence));
        Assert.False(page.Covers(1));
        Assert.Equal(5, (await client.ListAsync(budget: new PageBudget(100, 16 * 1024 * 1024))).Items.Count);
    }

    [StoreFact] // S19: a resource's position stays covered while retention removes only other resources' entries
    public async Task Retention_PrunePointPerResource_AQuietResourceStaysCovered()
    {
        StoreClient client = Open(o => o.MaxRetainedChanges = 3);
        string category = await client.CreatedKeyAsync("c1", "quiet"); // seq 1
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(201, (await client.ApplyAsync(StoreClient.Create("c1", "busy" + i), StoreClient.Tags)).Status); // seqs 2 to 7
        }

        ChangePage categories = await client.Store.ReadChangesAsync(Category.ResourceName, 1, StoreClient.Rows100, default);
        ChangePage categoriesFromStart = await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default);
        ChangePage tags = await client.Store.ReadChangesAsync(Tag.ResourceName, 1, StoreClient.Rows100, default);

        // The count cut went through 4: it removed the category's entry (seq 1) and three of the tags'.
        Assert.Equal((1L, 7L), (categories.PrunedThrough, categories.Head));
        Assert.True(categories.Covers(1)); // a reader that had read seq 1 missed nothing
        Assert.Empty(categories.Changes);
        Assert.False(categoriesFromStart.Covers(0)); // one that had not read it lists
        Assert.Equal(4L, tags.PrunedThrough);
        Assert.False(tags.Covers(1));
        Assert.Equal(category, Assert.Single((await client.ListAsync()).Items).Key);
    }

    [StoreFact]
    public async Task Retention_ByAge_OldChangesAndExpiredRecordsPruned_NewOnesKept()
    {
        StoreClient client = Open(o =>
        {
            o.ChangeRetention = TimeSpan.FromMinutes(10);
            o.IdempotencyRetention = TimeSpan.FromMinutes(5);
        });
        await client.ApplyAsync(StoreClient.Create("c1", "old", idempotencyKey: "old-key"));
        await client.CreatedKeyAsync("c1", "old too");
        Time.Advance(TimeSpan.FromMinutes(20));

        await client.CreatedKeyAsync("c1", "new");

        ChangePage page = await client.Store.ReadChangesAsync(Category.ResourceName, 2, StoreClient.Rows100, default);
        Assert.Equal((3L, 2L), (page.Head, page.PrunedThrough));
        Assert.Equal([3L], page.Changes.Select(static c => c.Sequence));
        Assert.Null(await client.Store.WriteAsync(session => session.GetIdempotencyAsync("c1", "old-key").AsTask(), default));
    }

    [StoreFact]
    public async Task Committed_RaisedWithTheNewHead_NotForATransactionThatAppendsNothing()
    {
        StoreClient client = Open();
        var heads = new List<long>();
        client.Store.Committed += head =>
        {
            lock (heads)
            {
                heads.Add(head);
            }
        };

        await client.ApplyBatchAsync(StoreClient.Create("c1", "a"), StoreClient.Create("c1", "b"));
        await client.ApplyAsync(StoreClient.Delete("c1", "missing")); // already gone: 204, nothing appended
        await client.CreatedKeyAsync("c1", "c");

        lock (heads)
        {
            Assert.Equal([2L, 3L], heads.Distinct());
        }

        Assert.Equal(3, client.Store.KnownHead);
    }

    [StoreFact] // a restarted server continues: rows, versions, sequences, key sequences
    public async Task Reopen_RowsSequencesAndKeySequencesContinue()
    {
        StoreClient client = Open();
        string key = await client.CreatedKeyAsync("c1", "a");
        await client.Store.WriteAsync(session => session.NextKeyAsync("counters").AsTask(), default);
        await client.Store.DisposeAsync();
        _opened.Remove(client.Store);

        StoreClient reopened = Open();
        MutationOutcome renamed = await reopened.ApplyAsync(StoreClient.Rename("c1", key, "b", ifMatch: 1));
        long next = await reopened.Store.WriteAsync(session => session.NextKeyAsync("counters").AsTask(), default);

        Assert.Equal((200, 2L), (renamed.Status, renamed.Version));
        Assert.Equal(2, next);
        Assert.Equal([2L], (await reopened.ChangesAsync()).Select(static c => c.Sequence));
        Assert.Equal(2, reopened.Store.KnownHead);
    }

    [StoreFact] // S10 under concurrency: each update is checked against the version it replaces
    public async Task ConcurrentUpdatesOfOneRow_EveryAcceptedUpdateReplacedTheVersionItNamed()
    {
        StoreClient client = Open();
        string key = await client.CreatedKeyAsync("c1", "0");
        const int writers = 8, updatesEach = 5;
        var accepted = new System.Collections.Concurrent.ConcurrentBag<(long Named, long Made)>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int done = 0; done < updatesEach;)
            {
                RowItem row = (await client.Store.GetRowAsync(StoreClient.Scope("c1"), key, default))!.Value;
                MutationOutcome outcome = await client.ApplyAsync(StoreClient.Rename("c1", key, $"w{w}-{done}", ifMatch: row.Version));
                Assert.True(outcome.Status is 200 or 409, $"status {outcome.Status}");
                if (outcome.Status == 200)
                {
                    accepted.Add((row.Version, outcome.Version!.Value));
                    done++;
                }
            }
        })));

        const int updates = writers * updatesEach;
        Assert.All(accepted, static a => Assert.Equal(a.Named + 1, a.Made));
        Assert.Equal(Enumerable.Range(2, updates).Select(static v => (long)v), accepted.Select(static a => a.Made).Order());
        StoredChange last = Assert.Single(await client.ChangesAsync());
        Assert.Equal((1L + updates, 1L + updates), (last.Version, last.Sequence));
    }

    private protected abstract ISyncStore OpenStore(SyncServerOptions options);

    protected abstract Task DeleteDataAsync();

    private StoreClient Open(Action<SyncServerOptions>? configure = null)
    {
        var options = new SyncServerOptions { TimeProvider = Time, FlushEachCommit = false };
        configure?.Invoke(options);
        ISyncStore store = OpenStore(options);
        _opened.Add(store);
        return new StoreClient(store, options);
    }
}
