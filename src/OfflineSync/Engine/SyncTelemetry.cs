using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OfflineSync;

/// <summary>
/// The metrics and traces of one engine: a Meter named <see cref="SyncDiagnostics.MeterName"/>, tagged with the client
/// id, and the shared ActivitySource <see cref="SyncDiagnostics.ActivitySourceName"/> whose push activities carry the
/// client id. Instruments and tags are listed in docs/observability.md.
/// </summary>
/// <remarks>
/// Without an <see cref="IMeterFactory"/> each engine has its own Meter, which it disposes with itself, so a
/// disposed client stops reporting. A Meter from the factory (the DI container's) is the factory's to dispose.
/// </remarks>
internal sealed class SyncTelemetry : IDisposable
{
    private static readonly string? s_version = typeof(SyncTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(SyncDiagnostics.ActivitySourceName, s_version);

    private readonly OwnedMeter _meter;

    public SyncTelemetry(IMeterFactory? meterFactory, string clientId)
    {
        _meter = new OwnedMeter(meterFactory, new MeterOptions(SyncDiagnostics.MeterName)
        {
            Version = s_version,
            Tags = [new KeyValuePair<string, object?>(SyncDiagnostics.ClientIdTag, clientId)],
        });
        Queued = Meter.CreateCounter<long>("offlinesync.mutations.queued", "{mutation}", "Mutations added to the queue.");
        Synced = Meter.CreateCounter<long>("offlinesync.mutations.synced", "{mutation}", "Mutations the server applied.");
        Failed = Meter.CreateCounter<long>("offlinesync.mutations.failed", "{mutation}", "Mutations that failed permanently.");
        Conflicts = Meter.CreateCounter<long>("offlinesync.conflicts", "{conflict}", "Conflicts the server reported.");
        Remaps = Meter.CreateCounter<long>("offlinesync.id_remaps", "{mapping}", "Optimistic keys mapped to server keys.");
        QueueLength = Meter.CreateUpDownCounter<long>("offlinesync.queue.length", "{mutation}", "Mutations waiting in the queue.");
    }

    public Meter Meter => _meter.Meter;

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

    public void Dispose() => _meter.Dispose();
}
