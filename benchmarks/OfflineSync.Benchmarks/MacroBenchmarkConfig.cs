using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace OfflineSync.Benchmarks;

/// <summary>
/// For benchmarks of milliseconds to seconds that need a fresh state per iteration (engine, stores):
/// one invocation per iteration after its own setup, a few iterations, run in the host process — a
/// generated project per run would cost more build time on a shared machine than the measurements.
/// </summary>
public sealed class MacroBenchmarkConfig : ManualConfig
{
    public MacroBenchmarkConfig() =>
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            // The default in-process timeout (5 minutes per benchmark) is too short for a 10,000-mutation drain
            // over HTTP on a loaded machine.
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithId("Macro"));
}
