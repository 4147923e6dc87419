using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OfflineSync.Server.Tests.Infrastructure;

namespace OfflineSync.Server.Tests;

/// <summary>The server's meter (<c>OfflineSync.Server</c>, from the host's IMeterFactory) and its refusal log lines.</summary>
public sealed class ServerTelemetryTests
{
    [Fact]
    public async Task Mutations_CountedByOutcome_ProblemsCountedAndLoggedByCode()
    {
        await using LoggedServer server = await LoggedServer.StartAsync();
        using var metrics = new ServerMeterRecorder(server.Services.GetRequiredService<IMeterFactory>());
        using var http = new HttpClient { BaseAddress = server.Address };

        Assert.Equal(HttpStatusCode.Created, await PostAsync(http, "key-1", "application/json"));
        Assert.Equal(HttpStatusCode.Created, await PostAsync(http, "key-1", "application/json")); // replayed
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await PostAsync(http, "key-2", "text/plain"));

        Assert.Equal(
            [
                ("offlinesync.server.mutations", "folders/create/applied"),
                ("offlinesync.server.mutations", "folders/create/replayed"),
                ("offlinesync.server.problems", "415/unsupported_media_type"),
            ],
            metrics.Snapshot());
        LoggedServer.LogEntry refusal = Assert.Single(server.Logs, e => e.Message.Contains("unsupported_media_type", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, refusal.Level);
        Assert.Contains("POST /sync/folders answered 415", refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string idempotencyKey, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/folders")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"id":"f1","name":"Inbox"}""")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Client-Id", "client-a");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using HttpResponseMessage response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Records the measurements of the server meter made by one host's factory, so parallel tests do not bleed in.</summary>
    private sealed class ServerMeterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, string Tags)> _measurements = [];

        public ServerMeterRecorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SyncDiagnostics.ServerMeterName && ReferenceEquals(instrument.Meter.Scope, factory))
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

                string text = instrument.Name == "offlinesync.server.mutations"
                    ? $"{values["resource"]}/{values["kind"]}/{values["outcome"]}"
                    : $"{values["http.response.status_code"]}/{values["code"]}";
                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, text));
                }
            });
            _listener.Start();
        }

        public List<(string Instrument, string Tags)> Snapshot()
        {
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
