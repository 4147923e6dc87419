using System.Globalization;
using BenchmarkDotNet.Attributes;
using OfflineSync.Benchmarks.Engine;
using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Store;

/// <summary>
/// An app restart: open a store holding 100,000 pending mutations (50,000 creates, 50,000 updates of
/// confirmed todos) and 50,000 ID mappings, and start the client on it, ready to sync (queue, map and
/// overlay restored). The baseline opens the store as it was before the offline session: mappings only.
/// </summary>
/// <remarks>
/// The setup also reports the heap the client keeps per pending mutation (retained after a full
/// collection, mappings-only client subtracted), on a line starting with <c>// Retained</c>.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(MacroBenchmarkConfig))]
public class ReopenBenchmarks
{
    private const int Mappings = 50_000;
    private const int Pending = 100_000;

    private StoreFolder _folder = null!;
    private BenchSync? _client;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new StoreFolder();
        Build();
        ReportRetainedMemory();
    }

    [GlobalCleanup]
    public void Cleanup() => _folder.Dispose();

    [IterationSetup(Target = nameof(ReopenMappingsOnly))]
    public void BeforeMappingsOnly() => Copy("mappings.template.db");

    [IterationSetup(Target = nameof(ReopenPending))]
    public void BeforePending() => Copy("pending.template.db");

    [IterationCleanup]
    public void AfterIteration()
    {
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client = null;
    }

    [Benchmark(Baseline = true, Description = "Reopen: 50,000 mappings, empty queue")]
    public BenchSync ReopenMappingsOnly() => _client = Open(expectedPending: 0);

    [Benchmark(Description = "Reopen: 50,000 mappings + 100,000 pending")]
    public BenchSync ReopenPending() => _client = Open(expectedPending: Pending);

    private BenchSync Open(int expectedPending)
    {
        var client = new BenchSync(new SyncOptions
        {
            Transport = new NoOpTransport(),
            Store = SqliteMutationStore.Open(_folder.File("store.db")),
            NetworkMonitor = new OfflineMonitor(),
            MaxQueueSize = Pending,
        });
        if (client.PendingCount != expectedPending || client.SyncEngine.IdMap.Count != Mappings)
        {
            throw new InvalidOperationException($"The store reopened with {client.PendingCount} pending and {client.SyncEngine.IdMap.Count} mappings.");
        }

        return client;
    }

    // The store is written through its own API, as the engine writes it: driving 50,000 confirmations
    // with new server keys through a client instead would take minutes (see docs/benchmarks.md).
    private void Build()
    {
        string path = _folder.File("store.db");
        var batched = new SqliteMutationStoreOptions { Durability = Durability.Batched };
        var confirmed = new string[Mappings];
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, batched))
        {
            for (int i = 0; i < Mappings; i++)
            {
                confirmed[i] = OptimisticKeys.NewString();
                store.AddMapping(new IdMapping(Todo.ResourceName, confirmed[i], "srv-" + i.ToString(CultureInfo.InvariantCulture)));
            }
        }

        File.Copy(path, _folder.File("mappings.template.db"));

        // Offline after the restart: 50,000 new todos, and an update of each confirmed todo queued under
        // its optimistic key (the restore resolves it through the map).
        byte[] patch = ResourceModel<Todo>.SerializePatch(new TodoPatch { Completed = true, Title = "Edited offline" });
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, batched))
        {
            string clientId = store.Load().ClientId;
            DateTimeOffset now = DateTimeOffset.UtcNow;
            long sequence = 0;
            for (int i = 0; i < Pending / 2; i++)
            {
                string key = OptimisticKeys.NewString();
                store.Append(Mutation(++sequence, MutationKind.Create, key, ResourceModel<Todo>.SerializeEntity(Fixtures.Todo(key)), clientId, now));
                store.Append(Mutation(++sequence, MutationKind.Update, confirmed[i], patch, clientId, now) with { BaseVersion = "v1" });
            }
        }

        File.Copy(path, _folder.File("pending.template.db"));
    }

    private static StoredMutation Mutation(long sequence, MutationKind kind, string key, byte[] payload, string clientId, DateTimeOffset at) => new()
    {
        Sequence = sequence,
        Resource = Todo.ResourceName,
        Kind = kind,
        Key = key,
        Payload = payload,
        IdempotencyKey = Todo.CreateIdempotencyKey(kind, key, clientId, sequence),
        EnqueuedAt = at,
    };

    private void Copy(string template)
    {
        _folder.Delete("store.db");
        File.Copy(_folder.File(template), _folder.File("store.db"));
    }

    private void ReportRetainedMemory()
    {
        long mappingsOnly = Retained("mappings.template.db", 0);
        long pending = Retained("pending.template.db", Pending);
        Console.WriteLine(
            $"// Retained: {mappingsOnly / 1024.0 / 1024.0:F1} MiB with {Mappings:N0} mappings; {pending / 1024.0 / 1024.0:F1} MiB with {Pending:N0} pending as well: "
            + $"{(pending - mappingsOnly) / (double)Pending:F0} B per pending mutation");
    }

    private long Retained(string template, int expectedPending)
    {
        Copy(template);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        BenchSync client = Open(expectedPending);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(client);
        client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return after - before;
    }
}
