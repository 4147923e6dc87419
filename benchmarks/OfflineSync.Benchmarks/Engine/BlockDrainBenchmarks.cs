using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// The workload of issue 13 (<see cref="BlockSession"/>): enqueue 10,000 and 100,000 mutations offline in
/// memory, and drain them to a server that confirms every create under a new key — the normal case, as the
/// reference server replaces optimistic keys — beside the same drain to a server that keeps the keys. The
/// 10,000 run of each category is its baseline, so the ratio column is the growth factor (linear: 10).
/// </summary>
/// <remarks>The setup also prints the heap kept per pending mutation, on a line starting with <c>// Retained</c>.</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(MacroBenchmarkConfig))]
public class BlockDrainBenchmarks
{
    private const string Enqueue = "Enqueue";
    private const string NewKeys = "Drain, server assigns keys";
    private const string KeptKeys = "Drain, server keeps keys";

    private ListItem[] _serverTodos = null!;
    private BlockSession? _session;
    private int _pendingAfter;

    [GlobalSetup]
    public void Setup()
    {
        _serverTodos = NoOpTransport.ServerTodos(50_000);
        ReportRetainedMemory(10_000);
    }

    [IterationSetup(Targets = [nameof(Enqueue10K)])]
    public void BeforeEnqueue10K() => Start(10_000, enqueue: false, assignServerKeys: true);

    [IterationSetup(Targets = [nameof(Enqueue100K)])]
    public void BeforeEnqueue100K() => Start(100_000, enqueue: false, assignServerKeys: true);

    [IterationSetup(Targets = [nameof(DrainNewKeys10K)])]
    public void BeforeDrainNewKeys10K() => Start(10_000, enqueue: true, assignServerKeys: true);

    [IterationSetup(Targets = [nameof(DrainNewKeys100K)])]
    public void BeforeDrainNewKeys100K() => Start(100_000, enqueue: true, assignServerKeys: true);

    [IterationSetup(Targets = [nameof(DrainKeptKeys10K)])]
    public void BeforeDrainKeptKeys10K() => Start(10_000, enqueue: true, assignServerKeys: false);

    [IterationSetup(Targets = [nameof(DrainKeptKeys100K)])]
    public void BeforeDrainKeptKeys100K() => Start(100_000, enqueue: true, assignServerKeys: false);

    [IterationCleanup]
    public void Cleanup()
    {
        BlockSession session = _session!;
        _session = null;
        if (session.Client.PendingCount != _pendingAfter)
        {
            throw new InvalidOperationException($"{session.Client.PendingCount} mutations are queued: expected {_pendingAfter}.");
        }

        session.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Enqueue 10,000 (blocks of 4)")]
    [BenchmarkCategory(Enqueue)]
    public int Enqueue10K() => _session!.Enqueue();

    [Benchmark(Description = "Enqueue 100,000 (blocks of 4)")]
    [BenchmarkCategory(Enqueue)]
    public int Enqueue100K() => _session!.Enqueue();

    [Benchmark(Baseline = true, Description = "Drain 10,000, server assigns keys")]
    [BenchmarkCategory(NewKeys)]
    public Task DrainNewKeys10K() => _session!.Client.SyncAsync();

    [Benchmark(Description = "Drain 100,000, server assigns keys")]
    [BenchmarkCategory(NewKeys)]
    public Task DrainNewKeys100K() => _session!.Client.SyncAsync();

    [Benchmark(Baseline = true, Description = "Drain 10,000, server keeps keys")]
    [BenchmarkCategory(KeptKeys)]
    public Task DrainKeptKeys10K() => _session!.Client.SyncAsync();

    [Benchmark(Description = "Drain 100,000, server keeps keys")]
    [BenchmarkCategory(KeptKeys)]
    public Task DrainKeptKeys100K() => _session!.Client.SyncAsync();

    private void Start(int count, bool enqueue, bool assignServerKeys)
    {
        _session = new BlockSession(_serverTodos, count, assignServerKeys);
        _pendingAfter = enqueue ? 0 : count;
        if (enqueue)
        {
            _session.Enqueue();
        }
    }

    /// <summary>Prints the heap a client keeps per pending mutation: retained after a full collection, the listed session before the enqueue subtracted.</summary>
    private void ReportRetainedMemory(int count)
    {
        var session = new BlockSession(_serverTodos, count, assignServerKeys: true);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        session.Enqueue();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// Retained: {(after - before) / (double)count:N0} B per pending mutation ({count:N0} pending, {(after - before) / 1024.0 / 1024.0:F1} MiB)");
        GC.KeepAlive(session);
        session.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
