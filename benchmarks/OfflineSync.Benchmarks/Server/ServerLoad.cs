using System.Diagnostics;
using System.Globalization;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// The bounded load run: a reference server in a child process (Kestrel on 127.0.0.1, a temporary
/// SQLite file, server GC as an ASP.NET Core app has it) and many clients in this process that sync at
/// once, each following the feeds and pushing a fixed number of batches. Prints the server's time per
/// batch, the clients' round trips, and the server's working set and GC heap.
/// </summary>
/// <remarks>
/// <c>server-load [--clients 50] [--rounds 10] [--mutations 100]</c>: each client queues
/// <c>mutations</c> (half creates, half updates, <see cref="DrainWorkload"/>) and syncs them, as one
/// batch of the engine's default size, <c>rounds</c> times.
/// </remarks>
internal static class ServerLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--serve", string database])
        {
            return await LoadServerProcess.RunAsync(database);
        }

        int clients = Option(args, "--clients", 50);
        int rounds = Option(args, "--rounds", 10);
        int mutations = Option(args, "--mutations", 100);
        string directory = Directory.CreateTempSubdirectory("offlinesync-bench-load-").FullName;
        try
        {
            using Process server = StartServer(Path.Combine(directory, "server.db"));

            // The clients (and their feed fan-out) share the cores with the server: they yield to it, so
            // the server's numbers describe the server rather than the harness.
            using (Process self = Process.GetCurrentProcess())
            {
                self.PriorityClass = ProcessPriorityClass.BelowNormal;
            }

            try
            {
                string listening = await server.StandardOutput.ReadLineAsync() ?? "";
                if (!listening.StartsWith(LoadServerProcess.Listening, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The server process did not start: '{listening}'.");
                }

                var address = new Uri(listening[LoadServerProcess.Listening.Length..]);
                await using var fleet = await LoadFleet.ConnectAsync(address, directory, clients);
                await server.StandardInput.WriteLineAsync("start");
                await server.StandardInput.FlushAsync();

                long start = Stopwatch.GetTimestamp();
                await fleet.SyncAsync(rounds, mutations);
                TimeSpan pushed = Stopwatch.GetElapsedTime(start);
                TimeSpan converged = await fleet.WaitForConvergenceAsync(todosEach: clients * rounds * mutations / 4, TimeSpan.FromMinutes(3));
                TimeSpan total = Stopwatch.GetElapsedTime(start);

                await server.StandardInput.WriteLineAsync("stop");
                await server.StandardInput.FlushAsync();
                int totalMutations = clients * rounds * mutations;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Server load: {clients} clients x {rounds} rounds x {mutations} mutations = {totalMutations} mutations in {clients * rounds} batches, every client following the feeds"));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  pushed in {pushed.TotalSeconds:F1} s ({totalMutations / pushed.TotalSeconds:F0} mutations/s), failures or conflicts: {fleet.Failures}"));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  every client saw every row after {total.TotalSeconds:F1} s ({converged.TotalSeconds:F1} s after the last push)"));
                Console.WriteLine($"  client round trip per POST /sync/batch: {fleet.RoundTrips.Summary()}");
                while (await server.StandardOutput.ReadLineAsync() is { } line && line != LoadServerProcess.Done)
                {
                    Console.WriteLine(line);
                }

                await server.WaitForExitAsync();
                return fleet.Failures == 0 ? 0 : 1;
            }
            finally
            {
                if (!server.HasExited)
                {
                    server.Kill();
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process StartServer(string database)
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
        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add(database);

        // What an ASP.NET Core app (Microsoft.NET.Sdk.Web) runs with by default.
        start.Environment["DOTNET_gcServer"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
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
