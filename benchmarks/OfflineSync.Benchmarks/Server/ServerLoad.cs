using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// The bounded load run: a reference server in a child process (Kestrel on 127.0.0.1, a temporary
/// SQLite file, server GC as an ASP.NET Core app has it) and many clients in this process that sync at
/// once, each following the feeds and pushing a fixed number of batches. Prints the server's time per
/// batch, the clients' round trips, and the server's working set and GC heap.
/// </summary>
/// <remarks>
/// <c>server-load [--clients 50] [--rounds 10] [--mutations 100] [--postgres CONN [--instances 2]]</c>: each
/// client queues <c>mutations</c> (half creates, half updates, <see cref="DrainWorkload"/>) and syncs them, as
/// one batch of the engine's default size, <c>rounds</c> times. With <c>--postgres</c> the servers keep their data
/// in a fresh database on that server (dropped at the end), and <c>instances</c> server processes share it, each
/// client talking to one of them (client <c>i</c> to instance <c>i mod instances</c>), so every change fans out
/// to the clients of the other instances through PostgreSQL.
/// </remarks>
internal static class ServerLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--serve", string file])
        {
            return await LoadServerProcess.RunAsync(o => o.UseSqlite(file));
        }

        if (args is ["--serve-postgres", string connectionString])
        {
            return await LoadServerProcess.RunAsync(o => o.UsePostgres(connectionString));
        }

        int clients = Option(args, "--clients", 50);
        int rounds = Option(args, "--rounds", 10);
        int mutations = Option(args, "--mutations", 100);
        int instanceCount = Option(args, "--instances", 1);
        string? postgres = StringOption(args, "--postgres");
        string directory = Directory.CreateTempSubdirectory("offlinesync-bench-load-").FullName;
        await using BenchDatabase? database = postgres is null ? null : await BenchDatabase.CreateAsync(postgres);
        var servers = new List<Process>();
        try
        {
            for (int i = 0; i < instanceCount; i++)
            {
                servers.Add(database is null
                    ? StartServer("--serve", Path.Combine(directory, "server.db"))
                    : StartServer("--serve-postgres", database.ConnectionString));
            }

            // The clients (and their feed fan-out) share the cores with the servers: they yield to them, so
            // the servers' numbers describe the servers rather than the harness.
            using (Process self = Process.GetCurrentProcess())
            {
                self.PriorityClass = ProcessPriorityClass.BelowNormal;
            }

            var addresses = new List<Uri>();
            foreach (Process server in servers)
            {
                string listening = await server.StandardOutput.ReadLineAsync() ?? "";
                if (!listening.StartsWith(LoadServerProcess.Listening, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The server process did not start: '{listening}'.");
                }

                addresses.Add(new Uri(listening[LoadServerProcess.Listening.Length..]));
            }

            await using var fleet = await LoadFleet.ConnectAsync(addresses, directory, clients);
            await SayAsync(servers, "start");

            long start = Stopwatch.GetTimestamp();
            await fleet.SyncAsync(rounds, mutations);
            TimeSpan pushed = Stopwatch.GetElapsedTime(start);
            TimeSpan converged = await fleet.WaitForConvergenceAsync(todosEach: clients * rounds * mutations / 4, TimeSpan.FromMinutes(3));
            TimeSpan total = Stopwatch.GetElapsedTime(start);

            await SayAsync(servers, "stop");
            int totalMutations = clients * rounds * mutations;
            string store = database is null ? "SQLite" : $"PostgreSQL, {servers.Count} instance(s)";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Server load ({store}): {clients} clients x {rounds} rounds x {mutations} mutations = {totalMutations} mutations in {clients * rounds} batches, every client following the feeds"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  pushed in {pushed.TotalSeconds:F1} s ({totalMutations / pushed.TotalSeconds:F0} mutations/s), failures or conflicts: {fleet.Failures}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  every client saw every row after {total.TotalSeconds:F1} s ({converged.TotalSeconds:F1} s after the last push)"));
            Console.WriteLine($"  client round trip per POST /sync/batch: {fleet.RoundTrips.Summary()}");
            for (int i = 0; i < servers.Count; i++)
            {
                Console.WriteLine($"  instance {i}:");
                while (await servers[i].StandardOutput.ReadLineAsync() is { } line && line != LoadServerProcess.Done)
                {
                    Console.WriteLine(line);
                }

                await servers[i].WaitForExitAsync();
            }

            return fleet.Failures == 0 ? 0 : 1;
        }
        finally
        {
            foreach (Process server in servers)
            {
                if (!server.HasExited)
                {
                    server.Kill();
                }

                server.Dispose();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task SayAsync(List<Process> servers, string line)
    {
        foreach (Process server in servers)
        {
            await server.StandardInput.WriteLineAsync(line);
            await server.StandardInput.FlushAsync();
        }
    }

    private static Process StartServer(string mode, string store)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerLoad).Assembly.Location);
        }

        start.ArgumentList.Add("server-load");
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(store);

        // What an ASP.NET Core app (Microsoft.NET.Sdk.Web) runs with by default.
        start.Environment["DOTNET_gcServer"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
    }

    private static string? StringOption(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return fallback;
        }

        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            throw new ArgumentException($"{name} needs a positive number.");
        }

        return value;
    }
}
