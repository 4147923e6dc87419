using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OfflineSync.Sqlite.CrashWriter;
using OfflineSync.Tests.Model;
using Xunit.Abstractions;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S4 "a killed process loses nothing that returned": the crash writer (a child process) runs a
/// script of engine calls with <see cref="Durability.Full"/> and prints <c>ok n</c> after call n
/// returned; the test kills it with SIGKILL at a random moment and reopens the file.
/// </summary>
/// <remarks>
/// "Every mutation whose call had returned, none twice" is checked exactly, coalescing included: the
/// same script replayed in memory says what the queue must hold after the first n calls. With n
/// calls reported, the file must hold the queue of calls 1..n, or of 1..n+1 when the kill came after
/// call n+1 committed but before it was reported — nothing else: not a call lost, not one applied
/// twice, not half of one. The reopened client must show the same items as the replay.
/// </remarks>
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
        int committedUnreported = 0;
        long totalReturned = 0;
        var elapsed = Stopwatch.StartNew();

        for (int run = 0; run < Runs; run++)
        {
            string storePath = _folder.File($"run-{run}.db");
            int returned = await RunAndKillAsync(storePath, scriptPath, killAfter: random.Next(LatestKill + 1), spin: random.Next(200_000));
            string context = $"seed {seed}, run {run}, {returned} calls returned";

            Assert.Equal("ok", IntegrityCheck(storePath));
            if (await VerifyAsync(storePath, script, returned, context))
            {
                committedUnreported++;
            }

            totalReturned += returned;
        }

        output.WriteLine(
            $"seed {seed}: {Runs} kills, {totalReturned} returned calls checked, {committedUnreported} runs held the call in flight at the kill; {elapsed.Elapsed.TotalSeconds:F1} s");
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
                // A random few microseconds more, so the kill lands anywhere inside the next call.
                Thread.SpinWait(spin);
                process.Kill(); // SIGKILL on Linux: no finally block, no dispose, no flush runs.
                killed = true;
            }
        }

        // Lines written before the kill are still read above: the pipe outlives the process.
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(killed || process.ExitCode == 0, $"The crash writer failed (exit code {process.ExitCode}): {errors}");
        Assert.True(ready, $"The crash writer never opened the store: {errors}");
        return returned;
    }

    /// <summary>Checks the file against the in-memory replay; returns whether it held the unreported call n+1.</summary>
    private async Task<bool> VerifyAsync(string storePath, List<string> script, int returned, string context)
    {
        SqliteMutationStore store = SqliteMutationStore.Open(storePath);
        StoreState state = store.Load();
        long nextCounter = store.NextOptimisticCounter("projects");
        await using TestSync reopened = CrashScript.OpenClient(store);
        string[] actual = Describe(state);
        string actualView = View(reopened);

        await using TestSync replay = CrashScript.OpenClient(new InMemoryMutationStore(), state.ClientId);
        var replayStore = (InMemoryMutationStore)replay.Options.Store!;
        var runner = new CrashScript.Runner(replay);
        foreach (string line in script.Take(returned))
        {
            runner.Run(line);
        }

        // The numeric optimistic keys handed out before the kill are never handed out again (S2, S4).
        long highestKey = runner.ProjectKeys.Select(static key => -key).DefaultIfEmpty(0).Max();
        Assert.True(nextCounter > highestKey, $"{context}: the counter restarts at {nextCounter}, but {highestKey} was handed out.");

        string[] expected = Describe(replayStore.Load());
        Assert.Equal(
            state.Pending.Count,
            state.Pending.Select(static m => m.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
        if (actual.SequenceEqual(expected))
        {
            Assert.True(View(replay) == actualView, $"{context}: the reopened items differ from the replay.\nexpected {View(replay)}\nactual   {actualView}");
            return false;
        }

        Assert.True(returned < script.Count, $"{context}: the store differs from the replay of the whole script.");
        runner.Run(script[returned]);
        string[] withNext = Describe(replayStore.Load());
        Assert.True(
            actual.SequenceEqual(withNext),
            $"{context}: the store holds neither the queue of the returned calls nor that plus the next call '{script[returned]}'.\n" +
            $"returned calls:\n  {string.Join("\n  ", expected)}\nwith the next call:\n  {string.Join("\n  ", withNext)}\nthe store:\n  {string.Join("\n  ", actual)}");
        Assert.True(View(replay) == actualView, $"{context}: the reopened items differ from the replay.\nexpected {View(replay)}\nactual   {actualView}");
        return true;
    }

    private static string[] Describe(StoreState state) =>
    [
        $"last sequence {state.LastSequence}",
        .. state.Pending.Select(static m =>
            $"{m.Sequence} {m.Kind} {m.Resource} {m.Key} idempotency={m.IdempotencyKey} app={m.AppIdempotencyKey} base={m.BaseVersion} " +
            $"{m.Status} attempts={m.Attempts} {Encoding.UTF8.GetString(m.Payload.Span)}"),
        .. state.Mappings.Select(static m => $"mapping {m.Resource} {m.OptimisticKey} {m.ServerKey}"),
    ];

    private static string View(TestSync client) =>
        $"todos {JsonSerializer.Serialize(client.Todos.Items)} categories {JsonSerializer.Serialize(client.Categories.Items)} " +
        $"projects {JsonSerializer.Serialize(client.Projects.Items)} attachments {JsonSerializer.Serialize(client.Attachments.Items)}";

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
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
