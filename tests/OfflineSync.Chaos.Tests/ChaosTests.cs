using System.Diagnostics;
using Xunit.Abstractions;

namespace OfflineSync.Chaos.Tests;

/// <summary>
/// Issue 11's chaos test: client processes with SQLite stores and a server process, behind a fault
/// proxy (resets, lost answers, delays, half-open stalls, outages), all killed with SIGKILL and
/// restarted at random; then a drain without faults, and the rules of <see cref="ChaosChecks"/>
/// (README.md). Seeded: the output names the seed; <c>OFFLINESYNC_CHAOS_SEED</c> replays it.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Theory] // S3, S4, S5, S9, S10, S11, S15–S18, F1, F4 under faults and kills
    [InlineData(ConflictStrategy.ServerWins)]
    [InlineData(ConflictStrategy.ClientWins)]
    public async Task ClientsAndServerKilledUnderNetworkFaults_AfterTheDrain_EveryReturnedCallHoldsAndEveryViewEqualsTheServer(ConflictStrategy strategy)
    {
        ChaosSettings settings = ChaosSettings.FromEnvironment();
        string replay = $"seed {settings.Seed} (replay: OFFLINESYNC_CHAOS_SEED={settings.Seed}, fault phase {settings.FaultPhase.TotalSeconds:F0} s, {settings.Clients} clients, {strategy})";
        output.WriteLine(replay);
        var elapsed = Stopwatch.StartNew();
        await using var run = new ChaosRun(settings, strategy, output.WriteLine);
        ChaosEvidence evidence = await run.RunAsync();

        List<string> violations = [.. run.Incidents.Select(static i => "R0 processes: " + i), .. ChaosChecks.Check(evidence)];
        output.WriteLine(Summary(evidence) + $"; {elapsed.Elapsed.TotalSeconds:F0} s");
        if (violations.Count > 0)
        {
            run.Keep = true;
            Assert.Fail($"{violations.Count} violations, {replay}; journals and logs kept in {run.Directory}:\n{Describe(violations)}");
        }
    }

    /// <summary>The count of each rule's violations, then a few of each, each cut to a readable length.</summary>
    private static string Describe(List<string> violations)
    {
        var byRule = violations.GroupBy(static v => v.Split(':')[0]).OrderBy(static g => g.Key, StringComparer.Ordinal).ToList();
        IEnumerable<string> lines = byRule.SelectMany(static g => g.Take(4).Select(static v => v.Length > 600 ? v[..600] + "…" : v));
        return string.Join(", ", byRule.Select(static g => $"{g.Key} x{g.Count()}")) + "\n" + string.Join("\n", lines);
    }

    private static string Summary(ChaosEvidence evidence)
    {
        IEnumerable<JournalEntry> entries = evidence.Journals.Values.SelectMany(static j => j);
        var ops = entries.GroupBy(static e => e.Op).OrderBy(static g => g.Key, StringComparer.Ordinal).Select(static g => $"{g.Key} {g.Count()}");
        return $"journals: {string.Join(", ", ops)}; server: {evidence.Server.All.Count()} live rows, {evidence.History.Count} changes";
    }
}
