using System.Diagnostics.Metrics;

namespace OfflineSync;

/// <summary>
/// A component's meter: made by the host's <see cref="IMeterFactory"/> when there is one (the factory disposes it),
/// otherwise the component's own, disposed with it. The client, the store and the transport share it.
/// </summary>
internal sealed class OwnedMeter : IDisposable
{
    private readonly bool _owned;

    public OwnedMeter(IMeterFactory? factory, MeterOptions options)
    {
        options.Version ??= typeof(OwnedMeter).Assembly.GetName().Version?.ToString();
        _owned = factory is null;
        Meter = factory?.Create(options) ?? new Meter(options);
    }

    public Meter Meter { get; }

    public void Dispose()
    {
        if (_owned)
        {
            Meter.Dispose();
        }
    }
}
