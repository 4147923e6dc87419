using BenchmarkDotNet.Attributes;
using OfflineSync.Benchmarks.Engine;
using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Store;

/// <summary>
/// Durable enqueues: a todo created through the client over a <see cref="SqliteMutationStore"/> with
/// <see cref="Durability.Full"/> and with <see cref="Durability.Batched"/>, next to the baseline, a raw
/// one-row-per-transaction SQLite insert loop on the same disk — the fsync rate that
/// <see cref="Durability.Full"/> can at best approach — and the same enqueue over
/// <see cref="InMemoryMutationStore"/>, the engine's share, so that the store's is the difference.
/// Times are per enqueue (per row for the baseline).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MacroBenchmarkConfig))]
public class EnqueueBenchmarks
{
    private const int DurableWrites = 200;
    private const int BatchedWrites = 10_000;

    private StoreFolder _folder = null!;
    private byte[] _payload = null!;
    private Todo[] _todos = null!;
    private RawInsertLoop? _raw;
    private BenchSync? _client;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new StoreFolder();

        // The size of what the store writes for one create of the representative todo.
        _payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Fixtures.Todo(OptimisticKeys.NewString()), Todo.JsonTypeInfo);
    }

    [GlobalCleanup]
    public void Cleanup() => _folder.Dispose();

    [IterationSetup(Target = nameof(RawInsertPerTransaction))]
    public void BeforeRaw()
    {
        _folder.Delete("raw.db");
        _raw = new RawInsertLoop(_folder.File("raw.db"));
    }

    [IterationSetup(Target = nameof(EnqueueFull))]
    public void BeforeFull() => Open(Durability.Full, DurableWrites);

    [IterationSetup(Target = nameof(EnqueueBatched))]
    public void BeforeBatched() => Open(Durability.Batched, BatchedWrites);

    [IterationSetup(Target = nameof(EnqueueInMemory))]
    public void BeforeInMemory() => Open(new InMemoryMutationStore(), BatchedWrites);

    [IterationCleanup]
    public void AfterIteration()
    {
        _raw?.Dispose();
        _raw = null;
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = DurableWrites, Description = "Raw SQLite insert, one row per transaction")]
    public void RawInsertPerTransaction()
    {
        for (int i = 0; i < DurableWrites; i++)
        {
            _raw!.Insert(_payload);
        }
    }

    [Benchmark(OperationsPerInvoke = DurableWrites, Description = "Enqueue a create, Durability.Full")]
    public void EnqueueFull() => Enqueue(DurableWrites);

    [Benchmark(OperationsPerInvoke = BatchedWrites, Description = "Enqueue a create, Durability.Batched")]
    public void EnqueueBatched() => Enqueue(BatchedWrites);

    [Benchmark(OperationsPerInvoke = BatchedWrites, Description = "Enqueue a create, in memory (no store)")]
    public void EnqueueInMemory() => Enqueue(BatchedWrites);

    private void Enqueue(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _client!.Todos.Create(_todos[i]);
        }
    }

    private void Open(Durability durability, int count)
    {
        _folder.Delete("store.db");
        Open(SqliteMutationStore.Open(_folder.File("store.db"), new SqliteMutationStoreOptions { Durability = durability }), count);
    }

    private void Open(IMutationStore store, int count)
    {
        _client = new BenchSync(new SyncOptions
        {
            Transport = new NoOpTransport(),
            Store = store,
            NetworkMonitor = new OfflineMonitor(),
            MaxQueueSize = count,
        });
        _todos = new Todo[count];
        for (int i = 0; i < count; i++)
        {
            _todos[i] = Fixtures.Todo("");
        }
    }
}
