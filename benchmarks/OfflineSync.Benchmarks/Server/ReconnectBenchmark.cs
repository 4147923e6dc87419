extern alias TodoAppServer;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.Http;
using OfflineSync.Server;
using TodoApp.Model;
using TodoAppServer::TodoApp.Server;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// What a reconnect costs a client that missed a few changes of a large resource (docs/benchmarks.md, "Reconnect"):
/// the bytes the server sends it and the time until its view shows the changes. Before the feed resumed (S15),
/// every reconnect listed the whole resource, as a client without a position still does; now a client resumes after
/// the last sequence it applied: after going offline and online, and after a restart (its rows kept in its store).
/// </summary>
/// <remarks>
/// Not BenchmarkDotNet: each measurement needs a large server state and a client in a given state, and is one
/// wall-clock reconnect. Everything is real: the reference server (Kestrel on 127.0.0.1, its own SQLite file), the
/// engine with a SQLite store (<see cref="Durability.Full"/>), <see cref="HttpSyncTransport"/>.
/// </remarks>
internal static class ReconnectBenchmark
{
    private const string Todos = "todos";

    public static async Task<int> RunAsync(string[] args)
    {
        int rows = Option(args, "--rows", 100_000);
        int missed = Option(args, "--missed", 10);
        int runs = Option(args, "--runs", 5);
        string directory = Directory.CreateTempSubdirectory("offlinesync-bench-reconnect-").FullName;
        try
        {
            await using SyncServerHost server = await TodoServer.StartAsync(Path.Combine(directory, "server.db"));
            using var writer = new HttpSyncTransport(server.Address);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(writer, rows);
            Console.WriteLine($"Seeded {rows:N0} todos in {seeding.Elapsed.TotalSeconds:0.0} s.");

            var results = new List<Measurement>();
            for (int run = 1; run <= runs; run++)
            {
                results.AddRange(await RunOnceAsync(server.Address, writer, directory, run, missed));
            }

            Report(results, rows, missed);
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<List<Measurement>> RunOnceAsync(Uri address, HttpSyncTransport writer, string directory, int run, int missed)
    {
        var results = new List<Measurement>();
        string store = Path.Combine(directory, $"client-{run}.db");

        // Before: a client without a position lists everything — what every reconnect did before the feed resumed.
        Changes changes = await ChangeAsync(writer, run, 'a', missed);
        var traffic = new TrafficCounter();
        var clock = Stopwatch.StartNew();
        TodoSync client = Open(address, store, traffic);
        await UntilAsync(() => client.Todos.Status == SyncSetStatus.Live && changes.ShownBy(client));
        results.Add(new Measurement("list everything (no position)", run, clock.Elapsed, traffic.Bytes, Lists(traffic)));

        // After: offline, the changes are made, online again.
        client.SetOnline(false);
        await UntilAsync(() => client.Todos.Status == SyncSetStatus.Offline);
        changes = await ChangeAsync(writer, run, 'b', missed);
        traffic.Reset();
        clock.Restart();
        client.SetOnline(true);
        await UntilAsync(() => changes.ShownBy(client));
        results.Add(new Measurement("resume after offline (Last-Event-ID)", run, clock.Elapsed, traffic.Bytes, Lists(traffic)));

        // After a restart: the rows and the position come from the client's store.
        await client.DisposeAsync();
        changes = await ChangeAsync(writer, run, 'c', missed);
        TimeSpan read = TimeToRead(store);
        traffic = new TrafficCounter();
        clock.Restart();
        client = Open(address, store, traffic);
        TimeSpan opened = clock.Elapsed;
        await UntilAsync(() => changes.ShownBy(client));
        results.Add(new Measurement("resume after restart (rows kept in the store)", run, clock.Elapsed, traffic.Bytes, Lists(traffic), opened, read));
        await client.DisposeAsync();
        return results;
    }

    /// <summary>How long reading the kept rows from the store takes, of the time a restarted client takes to open.</summary>
    private static TimeSpan TimeToRead(string store)
    {
        using SqliteMutationStore file = SqliteMutationStore.Open(store);
        var clock = Stopwatch.StartNew();
        FeedCheckpoint kept = file.LoadFeedCheckpoint(Todos) ?? throw new InvalidOperationException("The client kept no rows.");
        return kept.Rows.Count > 0 ? clock.Elapsed : TimeSpan.Zero;
    }

    private static int Lists(TrafficCounter traffic) => traffic.Requests.Count(static r => r == $"GET /sync/{Todos}");

    private static TodoSync Open(Uri address, string store, TrafficCounter traffic) =>
        new(new SyncOptions
        {
            Transport = new HttpSyncTransport(new HttpClient(traffic) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) }),
            Store = SqliteMutationStore.Open(store),
            ClientId = "reconnecting",
        });

    /// <summary>Creates the rows in batches of 500, with keys the server keeps (todo-000001, …).</summary>
    private static async Task SeedAsync(HttpSyncTransport writer, int rows)
    {
        const int Batch = 500;
        for (int start = 0; start < rows; start += Batch)
        {
            var batch = new List<OutgoingMutation>(Batch);
            for (int i = start; i < Math.Min(rows, start + Batch); i++)
            {
                string key = string.Create(CultureInfo.InvariantCulture, $"todo-{i:D6}");
                batch.Add(Create(key, $"todo {i} with a title of some length"));
            }

            IReadOnlyList<PushResult> results = await writer.PushAsync(batch, CancellationToken.None);
            if (results.Count != batch.Count || results.Any(static r => r is not PushResult.Applied))
            {
                throw new InvalidOperationException($"Seeding failed at row {start}: {results.FirstOrDefault(static r => r is not PushResult.Applied)}");
            }
        }
    }

    /// <summary>Makes <paramref name="count"/> changes: four in ten creates, three updates, three deletes (one row each).</summary>
    private static async Task<Changes> ChangeAsync(HttpSyncTransport writer, int run, char phase, int count)
    {
        var created = new List<string>();
        var updated = new Dictionary<string, string>();
        var deleted = new List<string>();
        var batch = new List<OutgoingMutation>();
        for (int i = 0; i < count; i++)
        {
            string tag = string.Create(CultureInfo.InvariantCulture, $"{run}{phase}{i}");
            switch (i % 10)
            {
                case < 4:
                    string key = "new-" + tag;
                    created.Add(key);
                    batch.Add(Create(key, "created " + tag));
                    break;
                case < 7:
                    string target = string.Create(CultureInfo.InvariantCulture, $"todo-{((run * 1000) + (phase * 10) + i):D6}");
                    updated[target] = "updated " + tag;
                    batch.Add(Mutation(MutationKind.Update, target, Encoding.UTF8.GetBytes($$"""{"title":"updated {{tag}}"}""")));
                    break;
                default:
                    string doomed = string.Create(CultureInfo.InvariantCulture, $"todo-{((run * 1000) + (phase * 10) + i + 500):D6}");
                    deleted.Add(doomed);
                    batch.Add(Mutation(MutationKind.Delete, doomed, ReadOnlyMemory<byte>.Empty));
                    break;
            }
        }

        IReadOnlyList<PushResult> results = await writer.PushAsync(batch, CancellationToken.None);
        if (results.Count != batch.Count || results.Any(static r => r is not PushResult.Applied))
        {
            throw new InvalidOperationException($"A change failed: {results.FirstOrDefault(static r => r is not PushResult.Applied)}");
        }

        return new Changes(created, updated, deleted);
    }

    private static OutgoingMutation Create(string key, string title) =>
        Mutation(MutationKind.Create, key, Encoding.UTF8.GetBytes($$"""{"id":"{{key}}","title":"{{title}}","completed":false,"tagIds":[]}"""));

    private static OutgoingMutation Mutation(MutationKind kind, string key, ReadOnlyMemory<byte> payload) =>
        new(Todos, kind, key, kind == MutationKind.Create ? key : null, payload, $"{Todos}:{kind}:{key}:bench:{Guid.NewGuid():N}", null, "bench-writer");

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (!condition())
        {
            await Task.Delay(1, timeout.Token);
        }
    }

    private static void Report(List<Measurement> results, int rows, int missed)
    {
        Console.WriteLine();
        Console.WriteLine($"Reconnect after {missed} missed changes on a {rows:N0}-row resource, {results.Count / 3} runs:");
        Console.WriteLine();
        Console.WriteLine("| Reconnect | Median time | Times (ms) | Bytes received (median) | List requests |");
        Console.WriteLine("|---|---:|---|---:|---:|");
        foreach (IGrouping<string, Measurement> kind in results.GroupBy(static m => m.Kind))
        {
            Measurement[] all = kind.ToArray();
            double median = Median(all.Select(static m => m.Time.TotalMilliseconds));
            double bytes = Median(all.Select(static m => (double)m.Bytes));
            string times = string.Join(", ", all.Select(static m => m.Time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)));
            string opened = all[0].Opened is null ? "" : string.Create(
                CultureInfo.InvariantCulture,
                $" (opening the client: {Median(all.Select(static m => m.Opened!.Value.TotalMilliseconds)):0} ms, reading the kept rows alone: {Median(all.Select(static m => m.Read!.Value.TotalMilliseconds)):0} ms)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind.Key} | {median:0} ms{opened} | {times} | {bytes:N0} | {all[0].Lists} |"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Measurement(string Kind, int Run, TimeSpan Time, long Bytes, int Lists, TimeSpan? Opened = null, TimeSpan? Read = null);

    /// <summary>What the changes were, so the client's view can be checked for all of them.</summary>
    private sealed record Changes(List<string> Created, Dictionary<string, string> Updated, List<string> Deleted)
    {
        public bool ShownBy(TodoSync client) =>
            Created.TrueForAll(key => client.Todos.TryGet(key, out _))
            && Updated.All(pair => client.Todos.TryGet(pair.Key, out Todo? todo) && todo.Title == pair.Value)
            && Deleted.TrueForAll(key => !client.Todos.TryGet(key, out _));
    }
}
