extern alias TodoAppServer;

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineSync.Http;
using OfflineSync.Server;
using TodoApp.Model;
using TodoAppServer::TodoApp.Server;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// One server instance on PostgreSQL: a client drains 10,000 queued mutations in batches over loopback while a
/// second connection follows both feeds (row changes per second through the feed, live), then a feed resumed
/// from the start of the log reads them all back (catch-up).
/// </summary>
/// <remarks>
/// <c>postgres [--postgres CONN] [--iterations 3] [--sqlite]</c>; <c>--sqlite</c> runs the same iterations on the SQLite store
/// too, for a comparison under the same load. CONN (default <c>OFFLINESYNC_TEST_POSTGRES</c>) must be allowed to
/// create databases: the run creates one and drops it. Each iteration starts with a fresh schema.
/// </remarks>
internal static class PostgresBench
{
    private const int Mutations = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int iterations = int.Parse(Option(args, "--iterations") ?? "3", CultureInfo.InvariantCulture);
        await using BenchDatabase database = await BenchDatabase.CreateAsync(Option(args, "--postgres"));
        string directory = Directory.CreateTempSubdirectory("offlinesync-bench-pg-").FullName;
        try
        {
            Console.WriteLine($"PostgreSQL store, one instance in this process, {Mutations:N0} mutations per iteration ({Environment.ProcessorCount} cores)");
            bool sqlite = args.Contains("--sqlite");
            for (int i = 0; i < iterations; i++)
            {
                string schema = $"bench_{i}_{Guid.NewGuid():N}"[..20];
                await IterationAsync(o => o.UsePostgres(database.ConnectionString, s => s.Schema = schema), Path.Combine(directory, $"client-{i}.db"), $"PostgreSQL {i + 1}");
                if (sqlite)
                {
                    await IterationAsync(o => o.UseSqlite(Path.Combine(directory, $"server-{i}.db")), Path.Combine(directory, $"client-sqlite-{i}.db"), $"SQLite     {i + 1}");
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task IterationAsync(Action<SyncServerOptions> store, string queue, string label)
    {
        await using SyncServerHost server = await TodoServer.StartAsync(store);
        using var transport = new HttpSyncTransport(server.Address);
        await using var client = new TodoSync(new SyncOptions
        {
            Transport = transport,
            Store = SqliteMutationStore.Open(queue, new SqliteMutationStoreOptions { Durability = Durability.Batched }),
            NetworkMonitor = new OfflineAtStart(),
        });
        int failures = 0;
        client.MutationFailed += _ => Interlocked.Increment(ref failures);
        client.ConflictDetected += _ => Interlocked.Increment(ref failures);
        DrainWorkload.Queue(client, Mutations, "drain");

        using var follower = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var live = new FeedCounter();
        Task[] feeds = [live.FollowAsync(follower, "todos", 0, stop.Token), live.FollowAsync(follower, "categories", 0, stop.Token)];
        await live.WaitForAsync(0, readers: 2);

        long start = Stopwatch.GetTimestamp();
        client.SetOnline(true);
        await client.SyncAsync();
        TimeSpan drained = Stopwatch.GetElapsedTime(start);
        await live.WaitForAsync(Mutations, readers: 2);
        TimeSpan followed = Stopwatch.GetElapsedTime(start);
        await stop.CancelAsync();
        await Task.WhenAll(feeds);
        if (client.PendingCount != 0 || failures != 0)
        {
            throw new InvalidOperationException($"The drain ended with {client.PendingCount} queued and {failures} failures or conflicts.");
        }

        var catchUp = new FeedCounter();
        using var again = new CancellationTokenSource();
        long resume = Stopwatch.GetTimestamp();
        Task[] resumed = [catchUp.FollowAsync(follower, "todos", 1, again.Token), catchUp.FollowAsync(follower, "categories", 1, again.Token)];
        await catchUp.WaitForAsync(Mutations - 1, readers: 2);
        TimeSpan caughtUp = Stopwatch.GetElapsedTime(resume);
        await again.CancelAsync();
        await Task.WhenAll(resumed);

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {label}: batched drain {drained.TotalSeconds:F2} s = {Mutations / drained.TotalSeconds:F0} mutations/s; live feed had every change after {followed.TotalSeconds:F2} s = {Mutations / followed.TotalSeconds:F0} row changes/s; resumed feed read {Mutations - 1:N0} changes in {caughtUp.TotalSeconds:F2} s = {(Mutations - 1) / caughtUp.TotalSeconds:F0} row changes/s"));
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Counts the change events (SSE <c>id:</c> lines after the given position) that feeds deliver.</summary>
    private sealed class FeedCounter
    {
        private int _events;
        private int _connected;

        public async Task FollowAsync(HttpClient http, string resource, long after, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"sync/{resource}/events");
            request.Headers.TryAddWithoutValidation("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
            try
            {
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                Interlocked.Increment(ref _connected);
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _events);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        public async Task WaitForAsync(int events, int readers)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _events) < events || Volatile.Read(ref _connected) < readers)
            {
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"The feeds delivered {_events} of {events} events.");
                }

                await Task.Delay(5);
            }
        }
    }
}

/// <summary>A database of its own for one benchmark run, dropped at the end.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private BenchDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string? admin)
    {
        admin ??= Environment.GetEnvironmentVariable("OFFLINESYNC_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Give --postgres CONN or set OFFLINESYNC_TEST_POSTGRES (eng/ci/postgres.sh start --durable).");
        string name = "offlinesync_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await create.ExecuteNonQueryAsync();
        return new BenchDatabase(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
