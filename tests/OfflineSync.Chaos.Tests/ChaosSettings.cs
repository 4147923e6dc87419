using System.Globalization;

namespace OfflineSync.Chaos.Tests;

/// <summary>
/// How long and with what the chaos test runs; the defaults fit <c>.ci/run</c>, the environment
/// variables make a soak run or replay a seed (README.md).
/// </summary>
internal sealed record ChaosSettings(int Seed, TimeSpan FaultPhase, int Clients, bool KeepDirectory)
{
    /// <summary>The seed (<c>OFFLINESYNC_CHAOS_SEED</c>), the fault phase per strategy in seconds
    /// (<c>OFFLINESYNC_CHAOS_SECONDS</c>, default 30), the client processes (<c>OFFLINESYNC_CHAOS_CLIENTS</c>,
    /// default and minimum 3) and whether to keep the run's files (<c>OFFLINESYNC_CHAOS_KEEP=1</c>).</summary>
    public static ChaosSettings FromEnvironment()
    {
        int seed = Read("OFFLINESYNC_CHAOS_SEED") ?? Random.Shared.Next();
        int seconds = Read("OFFLINESYNC_CHAOS_SECONDS") ?? 30;
        int clients = Math.Max(3, Read("OFFLINESYNC_CHAOS_CLIENTS") ?? 3);
        bool keep = Environment.GetEnvironmentVariable("OFFLINESYNC_CHAOS_KEEP") == "1";
        return new ChaosSettings(seed, TimeSpan.FromSeconds(Math.Max(5, seconds)), clients, keep);
    }

    private static int? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
