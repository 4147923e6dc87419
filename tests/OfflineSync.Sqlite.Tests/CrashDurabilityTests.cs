using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using OfflineSync.Sqlite.CrashWriter;
using Xunit.Abstractions;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S4 "a killed process loses nothing that returned": the crash writer (a child process) runs a
/// script of engine calls with <see cref="Durability.Full"/> and prints <c>ok n</c> after call n
/// returned; the test kills it with SIGKILL at a random moment and reopens the file.
/// </summary>
/// <remarks>What "every mutation whose call had returned, none twice" means exactly: <see cref="ReturnedCalls"/>.</remarks>
public sealed class CrashDurabilityTests(ITestOutputHelper output) : IDisposable
{
    private const int Runs = 24;
    private const int ScriptLength = 400;
    private const int LatestKill = 120;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SigKill_AtRandomMoments_ReopenedStoreHoldsEveryReturnedCallOnce()
    {
        // S4
        int seed = Environment.TickCount;
        var random = new Random(seed);
        List<string> script = CrashScript.Generate(seed, ScriptLength);
        string scriptPath = _folder.File("script.txt");
        await File.WriteAllLinesAsync(scriptPath, script);
        var outcomes = new Dictionary<ReturnedCalls.Outcome, int>();
        long totalReturned = 0;
        var elapsed = Stopwatch.StartNew();

        for (int run = 0; run < Runs; run++)
        {
            string storePath = _folder.File($"run-{run}.db");
            int returned = await RunAndKillAsync(storePath, scriptPath, killAfter: random.Next(LatestKill + 1), spin: random.Next(200_000));
            string context = $"seed {seed}, run {run}, {returned} calls returned";

            ReturnedCalls.Outcome outcome = await ReturnedCalls.AssertStoredAsync(storePath, script, returned, context);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

            totalReturned += returned;
        }

        output.WriteLine(
            $"seed {seed}: {Runs} kills, {totalReturned} returned calls checked, outcomes {string.Join(", ", outcomes.Select(static o => $"{o.Key} {o.Value}"))}; {elapsed.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Starts the writer, kills it after the <paramref name="killAfter"/>-th reported call, and returns how many calls it reported.</summary>
    private static async Task<int> RunAndKillAsync(string storePath, string scriptPath, int killAfter, int spin)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CrashWriterPath());
        start.ArgumentList.Add(storePath);
        start.ArgumentList.Add(scriptPath);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        int returned = 0;
        bool ready = false;
        bool killed = false;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == "ready")
                {
                    ready = true;
                }
                else if (line.StartsWith("ok ", StringComparison.Ordinal))
                {
                    // Reported in order, one per returned call.
                    Assert.Equal(returned + 1, int.Parse(line.AsSpan(3), CultureInfo.InvariantCulture));
                    returned++;
                }

                if (ready && !killed && returned >= killAfter)
                {
                    // Up to a millisecond or so later, so the kill lands anywhere inside the next call.
                    Thread.SpinWait(spin);
                    process.Kill(); // SIGKILL on Linux: no finally block, no dispose, no flush runs.
                    killed = true;
                }
            }

            // Lines written before the kill are still read above: the pipe outlives the process.
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(); // A failed run leaves no writer behind.
            }
        }

        Assert.True(killed || process.ExitCode == 0, $"The crash writer failed (exit code {process.ExitCode}): {errors}");
        Assert.True(ready, $"The crash writer never opened the store: {errors}");
        return returned;
    }

    private static string CrashWriterPath()
    {
        // Recorded by the build (RecordCrashWriterPath in the project file): CI tests with --no-build.
        string path = typeof(CrashDurabilityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(static a => a.Key == "CrashWriterPath").Value!;
        Assert.True(File.Exists(path), $"The crash writer is not built at '{path}': build OfflineSync.sln first.");
        return path;
    }
}
