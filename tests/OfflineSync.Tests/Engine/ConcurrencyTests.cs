using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class ConcurrencyTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AppThreadsMutatingWhileDrainsRun_EveryMutationSentOnce_FifoPerObject()
    {
        // S5, S6, S8: app threads create, update and delete while background drains push; nothing is lost,
        // doubled or reordered within an object, whatever the interleaving.
        await using var harness = new SyncHarness(o => o.BatchSize = 7, autoSync: true);
        int pushes = 0;
        harness.Transport.OnPush = async _ =>
        {
            // Vary how long a batch stays in flight, so mutations land before, during and after pushes.
            if (Interlocked.Increment(ref pushes) % 2 == 0)
            {
                await Task.Yield();
            }
        };

        var workload = new Workload(harness.Client, threads: 4, todosPerThread: 120, rounds: 4);
        await workload.RunAsync();

        Assert.True(workload.Operations > 2000, $"Only {workload.Operations} operations ran.");
        Assert.Equal(harness.Transport.Sent, harness.Transport.Applied);
        await workload.VerifyAsync(harness);
    }

    [Fact]
    public async Task AppThreadsMutatingWhileDrainsRetryTransientFailures_EveryMutationAppliedOnce_FifoPerObject()
    {
        // S5, S8, S9, F1: the same under transient failures: retries resend, nothing overtakes the head, nothing is applied twice.
        await using var harness = new SyncHarness(o =>
        {
            o.BatchSize = 5;
            o.MaxAttempts = 1000;
            o.TimeProvider = TimeProvider.System;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
        }, autoSync: true);
        int answered = 0;
        harness.Transport.Always = _ => Interlocked.Increment(ref answered) % 4 == 0 ? new PushResult.Transient("503 busy", null) : null;

        var workload = new Workload(harness.Client, threads: 2, todosPerThread: 60, rounds: 3);
        await workload.RunAsync();

        Assert.True(harness.Transport.Sent.Count > harness.Transport.Applied.Count);
        await workload.VerifyAsync(harness);
    }

    [Fact]
    public async Task RemappedAndSyncedHandlers_CallingBackIntoEngine_DoNotDeadlock()
    {
        // S3, S8: events fire outside the engine's locks, so a handler may read the queue, mutate and sync.
        await using var harness = new SyncHarness(autoSync: true);
        TestSync sync = harness.Client;
        var handlerSyncs = new ConcurrentQueue<Task>();
        var seen = new ConcurrentQueue<string>();
        sync.IdRemapped += e =>
        {
            seen.Enqueue($"remapped {e.Resource} pending={sync.GetPending().Count}");
            if (e.Resource == "categories")
            {
                sync.Tags.Create(new Tag { Label = "from IdRemapped" });
            }

            handlerSyncs.Enqueue(sync.SyncAsync());
        };
        sync.MutationSynced += e =>
        {
            seen.Enqueue($"synced {e.Mutation.Resource} pending={sync.PendingCount}");
            if (e.Mutation.Resource == "categories")
            {
                sync.Users.Create(new User { Name = "from MutationSynced" });
            }

            handlerSyncs.Enqueue(sync.SyncAsync());
        };
        sync.SyncCompleted += _ => seen.Enqueue($"completed pending={sync.GetPending().Count}");
        sync.StatusChanged += e => seen.Enqueue($"status {e.Current} is {sync.Status}, online={sync.IsOnline}");

        sync.Categories.Create(new Category { Name = "c" });
        await harness.Transport.WaitForBatchesAsync(1);
        await sync.SyncAsync().WaitAsync(HangGuard);
        await Task.WhenAll(handlerSyncs).WaitAsync(HangGuard);

        Assert.Equal(["categories", "tags", "users"], harness.Transport.Applied.Select(m => m.Resource));
        Assert.Equal(0, sync.PendingCount);
        Assert.Equal(["remapped categories pending=0", "synced categories pending=1"], seen.Where(s => !s.StartsWith("status", StringComparison.Ordinal)).Take(2));
        Assert.Equal(3, seen.Count(s => s.StartsWith("synced", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConflictHandlers_CallingBackIntoEngine_DoNotDeadlock()
    {
        // S10, S11: ConflictDetected and OnConflict run outside the engine's locks.
        TestSync? client = null;
        var asked = new List<int>();
        await using var harness = new SyncHarness(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = async conflict =>
            {
                await Task.Yield();
                asked.Add(client!.GetPending().Count);
                await client.SyncAsync();
                return ConflictResolution.Discard;
            };
        });
        TestSync sync = client = harness.Client;
        for (int i = 0; i < 2000 && sync.Todos.Status != SyncSetStatus.Live; i++)
        {
            await Task.Delay(5);
        }

        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        await sync.SyncAsync();
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out string? key));
        string serverRow = $$"""{"id":"{{key}}","title":"server","completed":false,"tagIds":[],"version":"v9"}""";

        // The server holds what the conflict reports, so a list the feed reads at any moment agrees with it.
        harness.Transport.Seed("todos", key!, "v9", serverRow);
        harness.Transport.Then(m => m.Kind == MutationKind.Update ? new PushResult.Conflict(Encoding.UTF8.GetBytes(serverRow), "v9", "409 version mismatch") : null);
        var handlerSyncs = new ConcurrentQueue<Task>();
        var conflicts = new ConcurrentQueue<int>();
        sync.ConflictDetected += c =>
        {
            conflicts.Enqueue(sync.GetPending().Count);
            sync.Tags.Create(new Tag { Label = "from ConflictDetected" });
            handlerSyncs.Enqueue(sync.SyncAsync());
        };

        sync.Todos.Update(todo.Id, new TodoPatch { Title = "mine" });
        await sync.SyncAsync().WaitAsync(HangGuard);
        await harness.Transport.WaitForBatchesAsync(3);
        await sync.SyncAsync().WaitAsync(HangGuard);
        await Task.WhenAll(handlerSyncs).WaitAsync(HangGuard);

        Assert.Equal([1], conflicts);
        Assert.Equal([2], asked);
        Assert.Equal(0, sync.PendingCount);
        Assert.True(sync.Todos.TryGet(todo.Id, out Todo? shown));
        Assert.Equal("server", shown.Title);
        Assert.Equal(["todos", "tags"], harness.Transport.Applied.Select(m => m.Resource));
    }

    [Fact]
    public async Task StatusChangedHandler_WaitingForClearAsync_DoesNotDeadlock()
    {
        // S8, DESIGN §5: the drain's own gate is not held either while events fire, so a handler may wait for
        // ClearAsync or DiscardAsync, which wait for that gate.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        bool? cleared = null;
        sync.StatusChanged += e =>
        {
            if (e.Current == SyncStatus.Syncing && cleared is null)
            {
                Task clear = sync.ClearAsync();
                cleared = SpinWait.SpinUntil(() => clear.IsCompleted, TimeSpan.FromSeconds(10));
            }
        };
        sync.Tags.Create(new Tag { Label = "a" });

        await sync.SyncAsync().WaitAsync(HangGuard);

        Assert.True(cleared);
        Assert.Equal(0, sync.PendingCount);
        Assert.Empty(harness.Transport.Sent);
        Assert.Equal(SyncStatus.Idle, sync.Status);
    }

    /// <summary>
    /// App threads that each create a category and todos in it, then rename every todo each round, deleting every fifth
    /// in round 2; and the checks that hold whatever the interleaving with the drains.
    /// </summary>
    private sealed class Workload(TestSync sync, int threads, int todosPerThread, int rounds)
    {
        private readonly string[] _categories = new string[threads];
        private readonly string[][] _todos = new string[threads][];
        private readonly bool[][] _deleted = new bool[threads][];
        private int _operations;

        public int Operations => Volatile.Read(ref _operations);

        public async Task RunAsync()
        {
            await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() => Work(t)))).WaitAsync(HangGuard);
            for (int i = 0; i < 1000 && sync.PendingCount > 0; i++)
            {
                // A drain that stopped on a backoff timer returns from SyncAsync before the queue is empty.
                await sync.SyncAsync().WaitAsync(HangGuard);
                await Task.Delay(1);
            }
        }

        public async Task VerifyAsync(SyncHarness harness)
        {
            Assert.Equal(0, sync.PendingCount);
            Assert.Empty(sync.GetPending());
            Assert.Empty(harness.Store.Load().Pending);
            Assert.Empty(harness.Transport.Violations);
            IReadOnlyList<OutgoingMutation> applied = harness.Transport.Applied;
            Assert.Equal(applied.Count, applied.Select(m => m.IdempotencyKey).Distinct().Count());
            Assert.Equal(harness.Transport.Sent.Select(m => m.IdempotencyKey).Distinct().Order(StringComparer.Ordinal),
                applied.Select(m => m.IdempotencyKey).Order(StringComparer.Ordinal));

            // FIFO per object: its mutations reach the server in the order they were made, the create first.
            string ServerKeyOf(OutgoingMutation m) =>
                m.Kind == MutationKind.Create && sync.IdMap.TryResolve<Todo>(m.Key, out string? server) ? server : m.Key;
            foreach (IGrouping<string, OutgoingMutation> perObject in applied.Where(m => m.Resource == "todos").GroupBy(ServerKeyOf))
            {
                OutgoingMutation[] mutations = perObject.ToArray();
                long[] sequences = mutations.Select(m => long.Parse(m.IdempotencyKey.Split(':')[^1], CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(sequences.Order(), sequences);
                Assert.Equal(MutationKind.Create, mutations[0].Kind);
                Assert.DoesNotContain(mutations[..^1], m => m.Kind == MutationKind.Delete);
            }

            // The server ends with each surviving todo's last title and its category's server key; deleted ones are gone.
            ListPage rows = await harness.Transport.ListAsync("todos", null, 100_000, harness.ClientId, default);
            var expected = new SortedSet<string>(StringComparer.Ordinal);
            for (int thread = 0; thread < threads; thread++)
            {
                Assert.True(sync.IdMap.TryResolve<Category>(_categories[thread], out string? category));
                for (int i = 0; i < todosPerThread; i++)
                {
                    if (!_deleted[thread][i])
                    {
                        expected.Add($"{thread}-{i}-{rounds} {category}");
                    }
                }
            }

            Assert.Equal(expected, rows.Items.Select(row =>
            {
                using var json = System.Text.Json.JsonDocument.Parse(row.Data);
                return $"{json.RootElement.GetProperty("title").GetString()} {json.RootElement.GetProperty("categoryId").GetString()}";
            }).Order(StringComparer.Ordinal));
            Assert.Equal(expected.Select(e => e.Split(' ')[0]).Order(StringComparer.Ordinal), sync.Todos.Items.Select(t => t.Title).Order(StringComparer.Ordinal));
        }

        private void Work(int thread)
        {
            _categories[thread] = sync.Categories.Create(new Category { Name = $"c{thread}" }).Id;
            _todos[thread] = new string[todosPerThread];
            _deleted[thread] = new bool[todosPerThread];
            for (int i = 0; i < todosPerThread; i++)
            {
                _todos[thread][i] = sync.Todos.Create(new Todo { Title = $"{thread}-{i}-0", CategoryId = _categories[thread] }).Id;
            }

            for (int round = 1; round <= rounds; round++)
            {
                for (int i = 0; i < todosPerThread; i++)
                {
                    if (_deleted[thread][i])
                    {
                        continue;
                    }

                    if (round == 2 && i % 5 == 0)
                    {
                        sync.Todos.Delete(_todos[thread][i]);
                        _deleted[thread][i] = true;
                    }
                    else
                    {
                        sync.Todos.Update(_todos[thread][i], new TodoPatch { Title = $"{thread}-{i}-{round}" });
                    }

                    Interlocked.Increment(ref _operations);
                }
            }

            Interlocked.Add(ref _operations, todosPerThread + 1);
        }
    }
}
