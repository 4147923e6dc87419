extern alias TodoAppServer;

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime;
using OfflineSync.Server;
using TodoAppServer::TodoApp.Server;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// The server side of the load run, in a process of its own so that its memory is the server's alone.
/// Talks to the parent over standard input and output: prints <c>listening URL</c>, measures between
/// the lines <c>start</c> and <c>stop</c>, then prints its report and <c>done</c>.
/// </summary>
internal static class LoadServerProcess
{
    public const string Listening = "listening ";
    public const string Done = "done";

    public static async Task<int> RunAsync(Action<SyncServerOptions> store)
    {
        var latency = new LatencyRecorder();
        bool recording = false;
        using var listener = new MeterListener();

        // Kestrel's own request duration (http.server.request.duration): the time the server spent on
        // each batch, from the first byte read to the last byte written.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: "Microsoft.AspNetCore.Hosting", Name: "http.server.request.duration" })
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        int serverErrors = 0;
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag is { Key: "http.route", Value: "/sync/batch" } && Volatile.Read(ref recording))
                {
                    latency.Add(seconds * 1000);
                }

                if (tag is { Key: "http.response.status_code", Value: int status and >= 500 })
                {
                    Interlocked.Increment(ref serverErrors);
                }
            }
        });
        listener.Start();

        await using SyncServerHost server = await TodoServer.StartAsync(store);
        Console.Out.WriteLine(Listening + server.Address);
        Console.Out.Flush();

        await ExpectAsync("start");
        GC.Collect();
        var before = ProcessSnapshot.Take();
        Volatile.Write(ref recording, true);
        using var stop = new CancellationTokenSource();
        Task<(long WorkingSet, long Heap)> peaks = SamplePeaksAsync(stop.Token);

        await ExpectAsync("stop");
        Volatile.Write(ref recording, false);
        await stop.CancelAsync();
        (long peakWorkingSet, long peakHeap) = await peaks;
        var after = ProcessSnapshot.Take();
        GC.Collect();
        long retained = GC.GetTotalMemory(forceFullCollection: true);

        Report($"server GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, {Environment.ProcessorCount} cores");
        Report($"server time per POST /sync/batch (Kestrel): {latency.Summary()}; answers 5xx: {Volatile.Read(ref serverErrors)}");
        Report($"server working set: {Mb(before.WorkingSet)} idle, {Mb(peakWorkingSet)} peak under load");
        Report($"server GC heap: {Mb(before.Heap)} idle, {Mb(peakHeap)} peak under load, {Mb(retained)} live after load");
        Report(string.Create(
            CultureInfo.InvariantCulture,
            $"server during load: {Mb(after.Allocated - before.Allocated)} allocated, GCs gen0/1/2 = {after.Gen0 - before.Gen0}/{after.Gen1 - before.Gen1}/{after.Gen2 - before.Gen2}, CPU {(after.Cpu - before.Cpu).TotalSeconds:F1} s"));
        Console.Out.WriteLine(Done);
        Console.Out.Flush();
        return 0;
    }

    private static async Task ExpectAsync(string line)
    {
        string? read = await Console.In.ReadLineAsync();
        if (read != line)
        {
            throw new InvalidOperationException($"The load run sent '{read}' where '{line}' was expected.");
        }
    }

    private static async Task<(long WorkingSet, long Heap)> SamplePeaksAsync(CancellationToken cancellationToken)
    {
        long workingSet = 0, heap = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            do
            {
                workingSet = Math.Max(workingSet, Environment.WorkingSet);
                heap = Math.Max(heap, GC.GetTotalMemory(forceFullCollection: false));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }

        return (workingSet, heap);
    }

    private static void Report(string line) => Console.Out.WriteLine("  " + line);

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F0} MiB");

    private readonly record struct ProcessSnapshot(long WorkingSet, long Heap, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Cpu)
    {
        public static ProcessSnapshot Take()
        {
            using Process process = Process.GetCurrentProcess();
            return new ProcessSnapshot(
                Environment.WorkingSet,
                GC.GetTotalMemory(forceFullCollection: false),
                GC.GetTotalAllocatedBytes(precise: true),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                process.TotalProcessorTime);
        }
    }
}
