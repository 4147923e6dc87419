using System.Diagnostics;
using OfflineSync.Http;
using TodoApp.Model;

namespace OfflineSync.Benchmarks.Server;

/// <summary>The clients of the load run: each with its own HTTP connections, SQLite queue and feeds.</summary>
internal sealed class LoadFleet : IAsyncDisposable
{
    private readonly List<(TodoSync Sync, HttpClient Http)> _clients = [];
    private int _failures;

    public LatencyRecorder RoundTrips { get; } = new();

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Starts the clients online and waits until every feed is live, so the load starts from a steady state.</summary>
    /// <remarks>Client <c>i</c> talks to <c>servers[i mod servers.Count]</c>.</remarks>
    public static async Task<LoadFleet> ConnectAsync(IReadOnlyList<Uri> servers, string directory, int count)
    {
        var fleet = new LoadFleet();
        for (int i = 0; i < count; i++)
        {
            var http = new HttpClient(new BatchTimingHandler(fleet.RoundTrips)) { BaseAddress = servers[i % servers.Count], Timeout = TimeSpan.FromMinutes(1) };
            var sync = new TodoSync(new SyncOptions
            {
                Transport = new HttpSyncTransport(http),
                Store = SqliteMutationStore.Open(Path.Combine(directory, $"client-{i}.db"), new SqliteMutationStoreOptions { Durability = Durability.Batched }),
                AutoSync = false, // Each round is pushed as a whole by SyncAsync: one full batch.
            });
            sync.MutationFailed += _ => Interlocked.Increment(ref fleet._failures);
            sync.ConflictDetected += _ => Interlocked.Increment(ref fleet._failures);
            fleet._clients.Add((sync, http));
        }

        await fleet.WaitUntilAsync(
            sync => sync.Todos.Status == SyncSetStatus.Live && sync.Categories.Status == SyncSetStatus.Live,
            TimeSpan.FromSeconds(30),
            "every feed is live");
        return fleet;
    }

    /// <summary>All clients at once: queue a round, sync it, repeat.</summary>
    public Task SyncAsync(int rounds, int mutations) =>
        Task.WhenAll(_clients.Select((client, index) => Task.Run(async () =>
        {
            for (int round = 0; round < rounds; round++)
            {
                DrainWorkload.Queue(client.Sync, mutations, $"client {index} round {round}");
                await client.Sync.SyncAsync();
            }

            if (client.Sync.GetPending().Count != 0)
            {
                throw new InvalidOperationException($"Client {index} ended with {client.Sync.GetPending().Count} mutations queued.");
            }
        })));

    /// <summary>Waits until every client's view holds every todo of every client: the feed fan-out caught up.</summary>
    public async Task<TimeSpan> WaitForConvergenceAsync(int todosEach, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        await WaitUntilAsync(sync => sync.Todos.Items.Count == todosEach, timeout, $"every client shows {todosEach} todos");
        return Stopwatch.GetElapsedTime(start);
    }

    public async ValueTask DisposeAsync()
    {
        foreach ((TodoSync sync, HttpClient http) in _clients)
        {
            await sync.DisposeAsync();
            http.Dispose();
        }
    }

    private async Task WaitUntilAsync(Func<TodoSync, bool> condition, TimeSpan timeout, string what)
    {
        long start = Stopwatch.GetTimestamp();
        while (!_clients.TrueForAll(client => condition(client.Sync)))
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
