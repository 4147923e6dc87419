using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OfflineSync.Server.PostgreSql.Tests.Support;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;

namespace OfflineSync.Server.PostgreSql.Tests;

/// <summary>
/// Several store instances over one PostgreSQL schema, as several server instances run: writers racing each
/// other, a reader that must see the change log without gaps, instances starting at once, a lost notification.
/// </summary>
public sealed class PostgresConcurrencyTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly string _schema = TestDatabase.NewSchema();
    private readonly List<ISyncStore> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (ISyncStore store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [PostgresFact] // S15: sequences commit in order, so a reader never skips one that commits late
    public async Task ManyWritersOnTwoInstances_AReaderOnAThird_SeesEverySequenceOnceInOrder()
    {
        StoreClient a = Open(), b = Open(), reader = Open();
        const int writersPerInstance = 4, transactionsEach = 30;
        using var writing = new CancellationTokenSource();
        var wake = new SemaphoreSlim(0);
        reader.Store.Committed += _ => wake.Release();

        Task<List<long>> follow = Task.Run(async () =>
        {
            var seen = new List<long>();
            long position = 0;
            bool lastRound = false;
            while (true)
            {
                ChangePage page = await reader.Store.ReadChangesAsync(Category.ResourceName, position, new PageBudget(50, 1024 * 1024), default);
                Assert.True(page.Covers(position));
                foreach (StoredChange change in page.Changes)
                {
                    Assert.True(change.Sequence > position, $"sequence {change.Sequence} after {position}");
                    seen.Add(change.Sequence);
                    position = change.Sequence;
                }

                if (page.Changes.Count > 0)
                {
                    continue;
                }

                if (lastRound)
                {
                    return seen;
                }

                // Writers done: one more read after their last commit, then stop.
                lastRound = writing.IsCancellationRequested;
                await wake.WaitAsync(TimeSpan.FromMilliseconds(20));
            }
        });

        Task[] writers = [.. Enumerable.Range(0, 2 * writersPerInstance).Select(w => Task.Run(async () =>
        {
            StoreClient client = w % 2 == 0 ? a : b;
            for (int t = 0; t < transactionsEach; t++)
            {
                // One to three changes per transaction, so transactions of different lengths race for the log.
                MutationRequest[] batch = [.. Enumerable.Range(0, 1 + ((w + t) % 3)).Select(i => StoreClient.Create($"w{w}", $"w{w}-t{t}-{i}"))];
                List<MutationOutcome> outcomes = await client.ApplyBatchAsync(batch);
                Assert.All(outcomes, static o => Assert.Equal(201, o.Status));
            }
        }))];
        await Task.WhenAll(writers);
        await writing.CancelAsync();
        List<long> seen = await follow.WaitAsync(TimeSpan.FromMinutes(2));

        List<long> committed = await SequencesAsync();
        Assert.Equal(committed, seen);
        Assert.Equal(committed.Count, seen.Distinct().Count());
        int expected = Enumerable.Range(0, 2 * writersPerInstance).Sum(w => Enumerable.Range(0, transactionsEach).Sum(t => 1 + ((w + t) % 3)));
        Assert.Equal(expected, committed.Count);
    }

    [PostgresFact] // S2: a free proposed key is kept; two instances proposing it at once cannot both keep it
    public async Task SameProposedKeyOnTwoInstancesAtOnce_OneKeepsIt_TheOtherGetsAnotherKey()
    {
        StoreClient a = Open(), b = Open();
        for (int round = 0; round < 10; round++)
        {
            string proposed = $"key-{round}";
            MutationOutcome[] outcomes = await Task.WhenAll(
                Task.Run(() => a.ApplyAsync(StoreClient.Create("c1", "from a", proposed))),
                Task.Run(() => b.ApplyAsync(StoreClient.Create("c2", "from b", proposed))));

            Assert.All(outcomes, static o => Assert.Equal(201, o.Status));
            Assert.Single(outcomes, o => o.Key == proposed);
            Assert.NotEqual(outcomes[0].Key, outcomes[1].Key);
        }

        Assert.Equal(20L, await database.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.rows;"));
    }

    [PostgresFact] // idempotency holds across instances: a retry racing its original is applied once
    public async Task SameIdempotencyKeyOnTwoInstancesAtOnce_AppliedOnce_TheOtherReplaysIt()
    {
        StoreClient a = Open(), b = Open();
        for (int round = 0; round < 10; round++)
        {
            MutationRequest request = StoreClient.Create("c1", $"once {round}", idempotencyKey: $"categories:create:x:c1:{round}");
            MutationOutcome[] outcomes = await Task.WhenAll(Task.Run(() => a.ApplyAsync(request)), Task.Run(() => b.ApplyAsync(request)));

            Assert.All(outcomes, static o => Assert.Equal(201, o.Status));
            Assert.Equal(outcomes[0].Key, outcomes[1].Key);
            Assert.Single(outcomes, static o => o.Replayed);
        }

        Assert.Equal(10L, await database.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.rows;"));
    }

    [PostgresFact] // the schema is created under an advisory lock: instances starting together all start
    public async Task InstancesStartingAtOnce_AllStart_OnOneLayout()
    {
        ISyncStore[] stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenStore(new SyncServerOptions()))));

        Assert.Equal(4, stores.Length);
        Assert.Equal((long)PostgresSchema.Version, await database.ScalarAsync<long>($"SELECT sum(version) FROM {_schema}.schema_version;"));
    }

    [PostgresFact]
    public async Task NewerLayout_RefusedAtStart()
    {
        Open();
        await database.ScalarAsync<int>($"UPDATE {_schema}.schema_version SET version = {PostgresSchema.Version + 1} RETURNING version;");

        var error = Assert.ThrowsAny<Exception>(() => OpenStore(new SyncServerOptions()));

        Assert.Contains("newer OfflineSync server", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact] // S15: a schema of layout 1 (every change with a copy of its row) keeps one entry per row; a reader resumes across the upgrade
    public async Task Layout1Schema_LogKeepsEachRowsLastChange_AReaderResumesAcrossTheUpgrade()
    {
        // Categories of layout 1: a created (1, pruned since) and renamed twice (2, 3); b created (4); c created (5) and deleted (6).
        string Row(string key, string name) => $"convert_to('{{\"id\":\"{key}\",\"name\":\"{name}\"}}', 'UTF8')";
        await database.ScalarAsync<long>($"""
            CREATE SCHEMA {_schema};
            CREATE TABLE {_schema}.schema_version (version integer NOT NULL);
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, PostgresSchema.Steps[0], _schema)}
            INSERT INTO {_schema}.schema_version VALUES (1);
            INSERT INTO {_schema}.rows VALUES ('categories', 'a', {Row("a", "a3")}, 3, 3, 'c1', NULL, false),
                ('categories', 'b', {Row("b", "b")}, 1, 4, 'c1', NULL, false), ('categories', 'c', NULL, 2, 6, 'c1', NULL, true);
            INSERT INTO {_schema}.changes SELECT c.*, (extract(epoch FROM now()) * 1000)::bigint FROM (VALUES
                (2::bigint, 'categories', 'a', 2::smallint, 2::bigint, NULL, {Row("a", "a2")}), (3, 'categories', 'a', 2, 3, NULL, {Row("a", "a3")}),
                (4, 'categories', 'b', 1, 1, NULL, {Row("b", "b")}), (5, 'categories', 'c', 1, 1, NULL, {Row("c", "c")}), (6, 'categories', 'c', 3, 2, NULL, NULL)) c;
            SELECT setval('{_schema}.changes_seq', 6);
            UPDATE {_schema}.meta SET value = 1 WHERE name = 'pruned_through';
            """);

        StoreClient client = Open();
        List<StoredChange> resumed = await client.ChangesAsync(after: 1);
        string d = await client.CreatedKeyAsync("c1", "d");
        ChangePage fromStart = await client.Store.ReadChangesAsync(Category.ResourceName, 0, StoreClient.Rows100, default);

        Assert.Equal([("a", StoredChangeKind.Changed, 3L), ("b", StoredChangeKind.Added, 1L), ("c", StoredChangeKind.Removed, 2L)], resumed.Select(static c => (c.Key, c.Kind, c.Version)));
        Assert.Equal("a3", StoreClient.NameOf(resumed[0].Json));
        Assert.Equal((7L, 1L), (fromStart.Head, fromStart.PrunedThrough));
        Assert.Equal(d, fromStart.Changes[^1].Key);
        Assert.Equal(4L, await database.ScalarAsync<long>($"SELECT value FROM {_schema}.meta WHERE name = 'retained_changes';"));
        Assert.Equal((long)PostgresSchema.Version, await database.ScalarAsync<long>($"SELECT sum(version) FROM {_schema}.schema_version;"));
    }

    [PostgresFact] // a notification is a wake-up: one lost with its connection only delays the other instance
    public async Task ListeningConnectionKilled_AnotherInstancesCommitsStillArrive()
    {
        StoreClient a = Open(), b = Open();
        await a.CreatedKeyAsync("c1", "before");
        await Eventually.TrueAsync(() => b.Store.KnownHead == 1, "b hears a's first commit");

        long killed = await database.ScalarAsync<long>(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{_schema}_changes listener';");
        await a.CreatedKeyAsync("c1", "while b reconnects");
        await a.CreatedKeyAsync("c1", "after");

        Assert.Equal(2, killed); // both instances listen
        await Eventually.TrueAsync(() => b.Store.KnownHead == 3, "b learns a's later commits", TimeSpan.FromSeconds(30));
        Assert.Equal(3, (await b.ChangesAsync()).Count);
    }

    private async Task<List<long>> SequencesAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT seq FROM {_schema}.changes ORDER BY seq;", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }

    private StoreClient Open()
    {
        var options = new SyncServerOptions();
        return new StoreClient(OpenStore(options), options);
    }

    private ISyncStore OpenStore(SyncServerOptions options)
    {
        ISyncStore store = options.UsePostgres(database.ConnectionString, o => o.Schema = _schema).OpenStore(NullLoggerFactory.Instance);
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }
}
