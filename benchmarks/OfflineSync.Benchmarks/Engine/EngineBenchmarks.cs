using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// The engine over an in-memory store: enqueue 10,000 and 100,000 mixed creates and updates offline,
/// and drain them through a transport that costs nothing. The 10,000 run of each is the baseline, so
/// the ratio column is the growth factor (linear: 10).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(MacroBenchmarkConfig))]
public class EngineBenchmarks
{
    private const string Enqueue = "Enqueue";
    private const string Drain = "Drain";

    private ListItem[] _serverTodos = null!;
    private OfflineSession? _session;
    private int _pendingAfter;

    [GlobalSetup]
    public void Setup() => _serverTodos = NoOpTransport.ServerTodos(50_000);

    [IterationSetup(Targets = [nameof(Enqueue10K)])]
    public void BeforeEnqueue10K() => Start(10_000, enqueue: false);

    [IterationSetup(Targets = [nameof(Enqueue100K)])]
    public void BeforeEnqueue100K() => Start(100_000, enqueue: false);

    [IterationSetup(Targets = [nameof(Drain10K)])]
    public void BeforeDrain10K() => Start(10_000, enqueue: true);

    [IterationSetup(Targets = [nameof(Drain100K)])]
    public void BeforeDrain100K() => Start(100_000, enqueue: true);

    [IterationCleanup]
    public void Cleanup()
    {
        OfflineSession session = _session!;
        _session = null;
        if (session.Client.PendingCount != _pendingAfter)
        {
            throw new InvalidOperationException($"{session.Client.PendingCount} mutations are queued: expected {_pendingAfter}.");
        }

        session.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Start(int count, bool enqueue)
    {
        _session = new OfflineSession(_serverTodos, count);
        _pendingAfter = enqueue ? 0 : count;
        if (enqueue)
        {
            _session.Enqueue();
        }
    }

    [Benchmark(Baseline = true, Description = "Enqueue 10,000 (5,000 creates + 5,000 updates)")]
    [BenchmarkCategory(Enqueue)]
    public int Enqueue10K() => _session!.Enqueue();

    [Benchmark(Description = "Enqueue 100,000 (50,000 creates + 50,000 updates)")]
    [BenchmarkCategory(Enqueue)]
    public int Enqueue100K() => _session!.Enqueue();

    [Benchmark(Baseline = true, Description = "Drain 10,000 through a no-op transport")]
    [BenchmarkCategory(Drain)]
    public Task Drain10K() => _session!.Client.SyncAsync();

    [Benchmark(Description = "Drain 100,000 through a no-op transport")]
    [BenchmarkCategory(Drain)]
    public Task Drain100K() => _session!.Client.SyncAsync();
}
