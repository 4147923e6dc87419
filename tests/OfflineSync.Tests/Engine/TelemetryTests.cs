using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Metrics_CountQueuedSyncedFailedConflictsRemapsAndQueueLength_OfThisClientOnly()
    {
        // DESIGN §5 (metrics named OfflineSync), S3, S9, S10: another client in the same process does not bleed in.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        await using var other = new SyncHarness();
        using var metrics = new MeterRecorder(harness.Engine.Telemetry.Meter);
        TestSync sync = harness.Client;
        harness.Transport.Then(m => m.Resource == "users" ? new PushResult.Rejected("400 bad name", 400) : null);

        Tag tag = sync.Tags.Create(new Tag { Label = "optimistic" });
        sync.Tags.Create(new Tag { Id = "kept", Label = "proposed" });
        sync.Users.Create(new User { Name = "rejected" });
        other.Client.Tags.Create(new Tag { Label = "elsewhere" });
        other.Client.Tags.Create(new Tag { Label = "elsewhere too" });
        await Task.WhenAll(sync.SyncAsync(), other.Client.SyncAsync());
        Assert.True(sync.IdMap.TryResolve<Tag>(tag.Id, out string? serverKey));
        harness.Transport.Then(m => m.Kind == MutationKind.Update
            ? new PushResult.Conflict(Encoding.UTF8.GetBytes($$"""{"id":"{{serverKey}}","label":"server"}"""), "v5", "409 version mismatch")
            : null);
        sync.Tags.Update(tag.Id, new TagPatch { Label = "mine" });
        await sync.SyncAsync();

        Assert.Equal(4, metrics.Sum("offlinesync.mutations.queued"));
        Assert.Equal(3, metrics.Sum("offlinesync.mutations.queued", "tags"));
        Assert.Equal(1, metrics.Sum("offlinesync.mutations.queued", "users"));
        Assert.Equal(2, metrics.Sum("offlinesync.mutations.synced", "tags"));
        Assert.Equal(1, metrics.Sum("offlinesync.mutations.failed", "users"));
        Assert.Equal(1, metrics.Sum("offlinesync.conflicts", "tags"));
        Assert.Equal(1, metrics.Sum("offlinesync.id_remaps", "tags"));
        Assert.Equal(sync.PendingCount, metrics.Sum("offlinesync.queue.length"));
        Assert.Equal(1, sync.PendingCount);
    }

    [Fact]
    public async Task Metrics_QueueLength_TracksCoalescingCancellationDropAndClear()
    {
        // S6, S7: the queue length follows every way a mutation leaves the queue.
        await using var harness = new SyncHarness(o =>
        {
            o.MaxQueueSize = 3;
            o.QueueFullPolicy = QueueFullPolicy.DropOldest;
        });
        using var metrics = new MeterRecorder(harness.Engine.Telemetry.Meter);
        TestSync sync = harness.Client;
        var samples = new List<(long Metric, int Pending)>();
        void Sample() => samples.Add((metrics.Sum("offlinesync.queue.length"), sync.PendingCount));

        Todo todo = sync.Todos.Create(new Todo { Title = "a" });
        sync.Todos.Update(todo.Id, new TodoPatch { Title = "folded" });
        Sample();
        sync.Todos.Delete(todo.Id);
        Sample();
        for (int i = 0; i < 5; i++)
        {
            sync.Tags.Create(new Tag { Label = $"t{i}" });
        }

        Sample();
        await sync.ClearAsync();
        Sample();

        Assert.Equal([(1, 1), (0, 0), (3, 3), (0, 0)], samples);
    }

    [Fact]
    public async Task Metrics_StopWhenTheClientIsDisposed()
    {
        // DESIGN §5: a disposed client's Meter goes with it.
        var harness = new SyncHarness();
        using var metrics = new MeterRecorder(harness.Engine.Telemetry.Meter);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.DisposeAsync();

        Assert.Equal(1, metrics.Sum("offlinesync.mutations.queued"));
        Assert.Equal(0, metrics.EnabledInstruments);
    }

    [Fact]
    public async Task Meter_FromTheConfiguredMeterFactory_IsNamedOfflineSyncAndTaggedWithTheClientId()
    {
        // DESIGN §5: the DI container's IMeterFactory makes the meter; its name and tag are SyncDiagnostics constants.
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        await using var harness = new SyncHarness(o => o.MeterFactory = factory);
        await using var other = new SyncHarness(o => o.MeterFactory = factory);
        Meter meter = harness.Engine.Telemetry.Meter;
        using var metrics = new MeterRecorder(meter);

        harness.Client.Tags.Create(new Tag { Label = "a" });
        other.Client.Tags.Create(new Tag { Label = "elsewhere" });

        Assert.Same(factory, meter.Scope);
        Assert.Equal(("OfflineSync", "OfflineSync"), (SyncDiagnostics.MeterName, meter.Name));
        Assert.Contains(new KeyValuePair<string, object?>(SyncDiagnostics.ClientIdTag, harness.Engine.ClientId), meter.Tags!);
        Assert.NotSame(meter, other.Engine.Telemetry.Meter);
        Assert.Equal(1, metrics.Sum("offlinesync.mutations.queued"));
    }

    [Fact]
    public async Task PushActivity_OfflineSyncSource_CarriesBatchSizeClientIdAndOutcome()
    {
        // DESIGN §5 (ActivitySource OfflineSync), S9.
        await using var harness = new SyncHarness();
        string clientId = harness.Engine.ClientId;
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OfflineSync",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("offlinesync.client_id"), clientId))
                {
                    lock (activities)
                    {
                        activities.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        harness.Transport.ThenTransient();
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });

        await harness.Client.SyncAsync();
        await harness.RetryUntilAsync(2);

        lock (activities)
        {
            Assert.Equal([("OfflineSync.Push", 2, "Transient"), ("OfflineSync.Push", 2, "Progress")],
                activities.Select(a => (a.OperationName, (int)a.GetTagItem("offlinesync.batch.size")!, (string)a.GetTagItem("offlinesync.outcome")!)));
        }
    }

    [Fact]
    public async Task Logs_AreStructured_ThroughTheConfiguredLoggerFactory()
    {
        // DESIGN §5 (logs through ILogger), S3, S9.
        var logs = new LogCollector();
        await using var harness = new SyncHarness(o =>
        {
            o.LoggerFactory = logs;
            o.MaxAttempts = 2;
        });
        TestSync sync = harness.Client;
        harness.Transport.ThenTransient(times: 2, error: "503 busy");
        sync.MutationSynced += (_, _) => throw new InvalidOperationException("handler bug");
        User user = sync.Users.Create(new User { Name = "exhausted" });
        Tag tag = sync.Tags.Create(new Tag { Label = "ok" });

        await sync.SyncAsync();
        await harness.RetryUntilAsync(3);

        Assert.True(sync.IdMap.TryResolve<Tag>(tag.Id, out string? serverKey));
        LogCollector.Entry started = logs.Single(1);
        Assert.Equal((LogLevel.Information, "OfflineSync.SyncEngine", harness.Engine.ClientId), (started.Level, started.Category, started["ClientId"]));
        LogCollector.Entry queued = logs.Where(2).First();
        Assert.Equal((MutationKind.Create, "users", user.Id, 1L), (queued["Kind"], queued["Resource"], queued["Key"], queued["Sequence"]));
        LogCollector.Entry transient = logs.Single(5);
        Assert.Equal((LogLevel.Warning, 1, "503 busy", TimeSpan.FromSeconds(1)), (transient.Level, transient["Attempt"], transient["Error"], transient["Delay"]));
        LogCollector.Entry failed = logs.Single(6);
        Assert.Equal((LogLevel.Error, FailureReason.Exhausted, user.Id), (failed.Level, failed["Reason"], failed["Key"]));
        LogCollector.Entry remapped = logs.Single(4);
        Assert.Equal(("tags", tag.Id, serverKey), (remapped["Resource"], remapped["OptimisticKey"], remapped["ServerKey"]));
        LogCollector.Entry handler = logs.Single(9);
        Assert.Equal(("MutationSynced", "handler bug"), (handler["Event"], handler.Exception?.Message));
    }

    /// <summary>Records the measurements of one Meter's instruments, nothing else.</summary>
    private sealed class MeterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, long Value, string? Resource)> _measurements = [];
        private int _enabled;

        public MeterRecorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    Interlocked.Increment(ref _enabled);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.MeasurementsCompleted = (_, _) => Interlocked.Decrement(ref _enabled);
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? resource = null;
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "resource")
                    {
                        resource = (string?)tag.Value;
                    }
                }

                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, value, resource));
                }
            });
            _listener.Start();
        }

        public int EnabledInstruments => Volatile.Read(ref _enabled);

        public long Sum(string name, string? resource = null)
        {
            lock (_measurements)
            {
                return _measurements.Where(m => m.Name == name && (resource is null || m.Resource == resource)).Sum(m => m.Value);
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>An <see cref="ILoggerFactory"/> that keeps every entry with its structured values.</summary>
    private sealed class LogCollector : ILoggerFactory
    {
        private readonly List<Entry> _entries = [];

        public Entry Single(int eventId) => Assert.Single(Where(eventId));

        public IReadOnlyList<Entry> Where(int eventId)
        {
            lock (_entries)
            {
                return _entries.Where(e => e.EventId == eventId).ToArray();
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        public sealed record Entry(string Category, LogLevel Level, int EventId, IReadOnlyDictionary<string, object?> Values, Exception? Exception)
        {
            public object? this[string name] => Values[name];
        }

        private sealed class Logger(LogCollector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (KeyValuePair<string, object?> pair in pairs)
                    {
                        values[pair.Key] = pair.Value;
                    }
                }

                lock (owner._entries)
                {
                    owner._entries.Add(new Entry(category, logLevel, eventId.Id, values, exception));
                }
            }
        }
    }
}
