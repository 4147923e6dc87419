using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OfflineSync;

/// <summary>
/// The metrics and traces of one engine: a Meter and an ActivitySource both named <c>OfflineSync</c>.
/// Each engine has its own Meter, so a listener can tell two clients of one process apart (and a
/// disposed client stops reporting); the ActivitySource is shared and push activities carry the client id.
/// </summary>
internal sealed class SyncTelemetry : IDisposable
{
    public const string Name = "OfflineSync";

    private static readonly string? s_version = typeof(SyncTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(Name, s_version);

    public SyncTelemetry()
    {
        Meter = new Meter(Name, s_version);
        Queued = Meter.CreateCounter<long>("offlinesync.mutations.queued", "{mutation}", "Mutations added to the queue.");
        Synced = Meter.CreateCounter<long>("offlinesync.mutations.synced", "{mutation}", "Mutations the server applied.");
        Failed = Meter.CreateCounter<long>("offlinesync.mutations.failed", "{mutation}", "Mutations that failed permanently.");
        Conflicts = Meter.CreateCounter<long>("offlinesync.conflicts", "{conflict}", "Conflicts the server reported.");
        Remaps = Meter.CreateCounter<long>("offlinesync.id_remaps", "{mapping}", "Optimistic keys mapped to server keys.");
        QueueLength = Meter.CreateUpDownCounter<long>("offlinesync.queue.length", "{mutation}", "Mutations waiting in the queue.");
    }

    public Meter Meter { get; }

    public Counter<long> Queued { get; }

    public Counter<long> Synced { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Conflicts { get; }

    public Counter<long> Remaps { get; }

    public UpDownCounter<long> QueueLength { get; }

    public static void Count(Counter<long> counter, string resource)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>("resource", resource));
        }
    }

    public void QueueChanged(int delta)
    {
        if (delta != 0 && QueueLength.Enabled)
        {
            QueueLength.Add(delta);
        }
    }

    public void Dispose() => Meter.Dispose();
}
