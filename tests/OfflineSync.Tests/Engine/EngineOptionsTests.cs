using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

/// <summary>The engine copies its options when it is built: changing the options object afterwards changes nothing.</summary>
public sealed class EngineOptionsTests
{
    [Fact]
    public async Task OptionsChangedAfterTheClientWasMade_ChangeNothing()
    {
        // Issue 13: setting BatchSize to 0 after construction used to stop the drain; the copy keeps 2, and keeps the
        // queue limit, the attempts and the backoff the client was made with.
        await using var harness = new SyncHarness(o => { o.BatchSize = 2; o.MaxQueueSize = 5; o.MaxAttempts = 2; });
        harness.Options.BatchSize = 0;
        harness.Options.MaxQueueSize = 1;
        harness.Options.MaxAttempts = 1;
        harness.Options.Retry.BaseDelay = TimeSpan.FromHours(1);
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.ThenTransient(times: 1);
        for (int i = 0; i < 5; i++)
        {
            harness.Client.Tags.Create(new Tag { Label = $"t{i}" });
        }

        await harness.Client.SyncAsync();
        await harness.AdvanceUntilAsync(4);

        Assert.Equal([2, 2, 2, 1], harness.Transport.Batches.Select(b => b.Count));
        Assert.InRange((times[1] - times[0]).TotalSeconds, 1, 1.25);
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Equal(5, harness.Transport.Applied.Count);
    }

    [Fact]
    public async Task RandomSource_IsTheOneSourceOfTheJitter()
    {
        // S9: tests replace the random source to make jittered delays exact: base 1 s, ratio 0.5, random 1 → 0.5 s, then 1 s.
        await using var harness = new SyncHarness(o =>
        {
            o.Retry.JitterRatio = 0.5;
            o.RandomSource = static () => 1.0;
        });
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.ThenTransient(times: 2);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();
        await harness.AdvanceUntilAsync(3);

        Assert.InRange((times[1] - times[0]).TotalSeconds, 0.5, 0.5 + 0.25);
        Assert.InRange((times[2] - times[1]).TotalSeconds, 1, 1 + 0.25);
    }
}
