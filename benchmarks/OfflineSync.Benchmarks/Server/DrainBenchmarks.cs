extern alias TodoAppServer;

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OfflineSync.Benchmarks.Store;
using OfflineSync.Http;
using OfflineSync.Server;
using TodoApp.Model;
using TodoAppServer::TodoApp.Server;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// A client reconnects with 10,000 mutations queued offline and drains them to the reference server
/// (Kestrel on 127.0.0.1, its own SQLite file) through <see cref="HttpSyncTransport"/>: in batches
/// (<c>POST /sync/batch</c>, the engine's default batch size) against one request per mutation.
/// </summary>
/// <remarks>
/// Every iteration starts a fresh server database and a fresh client queue, so one invocation per
/// iteration; times and allocations are per mutation (<see cref="BenchmarkAttribute.OperationsPerInvoke"/>).
/// The server runs in this process, so the allocations are the client's and the server's together.
/// The client's queue is SQLite with <see cref="Durability.Batched"/>: with <see cref="Durability.Full"/>
/// every confirmed mutation would cost the client an fsync, which measures the disk, not the drain.
/// After each iteration a line starting with <c>// Drain profile</c> splits its time: the push requests
/// (server and loopback HTTP, as the client waits for them), the client's store calls, and the rest (engine,
/// views, feeds).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(MacroBenchmarkConfig))]
[IterationCount(3)]
public class DrainBenchmarks
{
    private const int Mutations = 10_000;

    private string _directory = "";
    private SyncServerHost? _server;
    private TodoSync? _client;
    private HttpSyncTransport? _transport;
    private PushTimingHandler? _pushes;
    private HttpClient? _http;
    private TimedStore? _store;
    private int _batchSize;
    private TimeSpan _drain;
    private int _failures;

    [IterationSetup(Target = nameof(OneRequestPerMutation))]
    public void SetUpSingle() => SetUp(batchSize: 1);

    [IterationSetup(Target = nameof(Batched))]
    public void SetUpBatched() => SetUp(batchSize: new SyncOptions().BatchSize);

    [Benchmark(Baseline = true, OperationsPerInvoke = Mutations, Description = "one request per mutation")]
    public Task OneRequestPerMutation() => DrainAsync();

    [Benchmark(OperationsPerInvoke = Mutations, Description = "batches (POST /sync/batch, 100)")]
    public Task Batched() => DrainAsync();

    [IterationCleanup]
    public void CleanUp()
    {
        TimeSpan pushes = _pushes!.Elapsed;
        TimeSpan store = _store!.Elapsed;
        Console.WriteLine(
            $"// Drain profile, batch size {_batchSize}: {_drain.TotalMilliseconds:F0} ms; push requests {pushes.TotalMilliseconds:F0} ms ({_pushes.Requests} requests); "
            + $"client store queue calls {store.TotalMilliseconds:F0} ms ({_store.Calls} calls); rest {(_drain - pushes - store).TotalMilliseconds:F0} ms; "
            + $"beside it, feed checkpoint writes {_store.FeedElapsed.TotalMilliseconds:F0} ms");

        // BenchmarkDotNet's setup and cleanup hooks are synchronous; nothing else runs while they block.
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _transport?.Dispose();
        _http?.Dispose();
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    private void SetUp(int batchSize)
    {
        _directory = Directory.CreateTempSubdirectory("offlinesync-bench-drain-").FullName;
        _server = TodoServer.StartAsync(Path.Combine(_directory, "server.db")).GetAwaiter().GetResult();
        _pushes = new PushTimingHandler();
        _http = new HttpClient(_pushes) { BaseAddress = _server.Address, Timeout = TimeSpan.FromMinutes(2) };
        _transport = new HttpSyncTransport(_http);
        _store = new TimedStore(SqliteMutationStore.Open(Path.Combine(_directory, "client.db"), new SqliteMutationStoreOptions { Durability = Durability.Batched }));
        _batchSize = batchSize;
        _client = new TodoSync(new SyncOptions
        {
            Transport = _transport,
            Store = _store,
            NetworkMonitor = new OfflineAtStart(),
            BatchSize = batchSize,
        });
        _failures = 0;
        _client.MutationFailed += _ => Interlocked.Increment(ref _failures);
        _client.ConflictDetected += _ => Interlocked.Increment(ref _failures);
        DrainWorkload.Queue(_client, Mutations, "drain");
        _store.Reset();
    }

    private async Task DrainAsync()
    {
        TodoSync client = _client!;
        long start = Stopwatch.GetTimestamp();
        client.SetOnline(true);
        await client.SyncAsync();
        _drain = Stopwatch.GetElapsedTime(start);
        int left = client.GetPending().Count;
        if (left != 0 || _failures != 0)
        {
            throw new InvalidOperationException($"The drain ended with {left} mutations queued and {_failures} failures or conflicts.");
        }
    }
}
