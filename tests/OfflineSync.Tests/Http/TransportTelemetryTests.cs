using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OfflineSync.Http;

namespace OfflineSync.Tests.Http;

/// <summary>The transport's meter (<c>OfflineSync.Http</c>) and logs: refusals by status, 401s as warnings, batches shortened after a 413.</summary>
public sealed class TransportTelemetryTests
{
    private static OutgoingMutation Create(int n) =>
        new("tags", MutationKind.Create, $"t{n}", null, System.Text.Encoding.UTF8.GetBytes($$"""{"id":"t{{n}}","label":"a"}"""), $"tags:create:t{n}:c:{n}", null, "c");

    [Fact]
    public async Task Refusals_CountedByOperationAndStatus_401LoggedAsWarning_413ShortensTheBatch()
    {
        // S9: the server's refusals are visible without a debugger: a 401 needs new credentials, a 413 a smaller batch.
        await using var server = new RawHttpServer(request => request.RequestLine.Contains("/sync/batch", StringComparison.Ordinal)
            ? RawHttpServer.Respond("413 Payload Too Large", "", "Content-Type: text/plain")
            : RawHttpServer.Respond("401 Unauthorized", "", "Content-Type: text/plain"));
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory meterFactory = services.GetRequiredService<IMeterFactory>();
        var logs = new Logs();
        using var metrics = new Recorder(meterFactory);
        using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { LoggerFactory = logs, MeterFactory = meterFactory });

        await transport.PushAsync([Create(1), Create(2), Create(3), Create(4)], default);
        await transport.PushAsync([Create(5)], default);

        Assert.Equal(
            [
                ("offlinesync.http.failures", "push/413"),
                ("offlinesync.http.batch.shortened", ""),
                ("offlinesync.http.failures", "push/413"),
                ("offlinesync.http.batch.shortened", ""),
                ("offlinesync.http.failures", "push/413"),
                ("offlinesync.http.failures", "push/401"), // a 401 is sent once more for a refreshed token:
                ("offlinesync.http.failures", "push/401"), // both requests were refused
            ],
            metrics.Snapshot());
        Assert.Equal([(LogLevel.Information, 4), (LogLevel.Information, 4)], logs.Where(4));
        Assert.Equal([(LogLevel.Warning, 1), (LogLevel.Warning, 1)], logs.Where(1));
    }

    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string, string)> _measurements = [];

        public Recorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SyncDiagnostics.HttpMeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
            {
                var values = new Dictionary<string, object?>();
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    values[tag.Key] = tag.Value;
                }

                string text = values.Count == 0 ? "" : $"{values["operation"]}/{values["error.type"]}";
                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, text));
                }
            });
            _listener.Start();
        }

        public List<(string, string)> Snapshot()
        {
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class Logs : ILoggerFactory, ILogger
    {
        private readonly List<(LogLevel Level, int EventId)> _entries = [];

        public List<(LogLevel, int)> Where(int eventId)
        {
            lock (_entries)
            {
                return _entries.Where(e => e.EventId == eventId).Select(static e => (e.Level, e.EventId)).ToList();
            }
        }

        public ILogger CreateLogger(string categoryName)
        {
            Assert.Equal("OfflineSync.Http", categoryName);
            return this;
        }

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, eventId.Id));
            }
        }

        public void Dispose()
        {
        }
    }
}
