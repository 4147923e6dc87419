using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OfflineSync;

/// <summary>The metrics and traces of the engine: Meter and ActivitySource both named <c>OfflineSync</c>.</summary>
internal static class SyncTelemetry
{
    public const string Name = "OfflineSync";

    private static readonly string? s_version = typeof(SyncTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(Name, s_version);

    public static readonly Meter Meter = new(Name, s_version);

    public static readonly Counter<long> Queued = Meter.CreateCounter<long>("offlinesync.mutations.queued", "{mutation}", "Mutations added to the queue.");

    public static readonly Counter<long> Synced = Meter.CreateCounter<long>("offlinesync.mutations.synced", "{mutation}", "Mutations the server applied.");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("offlinesync.mutations.failed", "{mutation}", "Mutations that failed permanently.");

    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("offlinesync.conflicts", "{conflict}", "Conflicts the server reported.");

    public static readonly Counter<long> Remaps = Meter.CreateCounter<long>("offlinesync.id_remaps", "{mapping}", "Optimistic keys mapped to server keys.");

    public static readonly UpDownCounter<long> QueueLength = Meter.CreateUpDownCounter<long>("offlinesync.queue.length", "{mutation}", "Mutations waiting in the queue.");

    public static void Count(Counter<long> counter, string resource)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>("resource", resource));
        }
    }

    public static void QueueChanged(int delta)
    {
        if (delta != 0 && QueueLength.Enabled)
        {
            QueueLength.Add(delta);
        }
    }
}
