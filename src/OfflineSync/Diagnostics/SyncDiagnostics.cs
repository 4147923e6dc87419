namespace OfflineSync;

/// <summary>
/// The names OfflineSync reports metrics and traces under, for telemetry set-up: for example
/// <c>.WithMetrics(m =&gt; m.AddMeter(SyncDiagnostics.MeterName, SyncDiagnostics.HttpMeterName))</c> and
/// <c>.WithTracing(t =&gt; t.AddSource(SyncDiagnostics.ActivitySourceName))</c> with OpenTelemetry. Every instrument,
/// its unit and its tags are listed in <c>docs/observability.md</c>.
/// </summary>
public static class SyncDiagnostics
{
    /// <summary>The meter of the client engine: queue, pushes, conflicts and remapping. Each client has its own meter of this name, tagged with its client id.</summary>
    public const string MeterName = "OfflineSync";

    /// <summary>The activity source of the client engine: one <c>OfflineSync.Push</c> activity per push.</summary>
    public const string ActivitySourceName = "OfflineSync";

    /// <summary>The meter of the SQLite mutation store (<c>OfflineSync.Sqlite</c>).</summary>
    public const string SqliteMeterName = "OfflineSync.Sqlite";

    /// <summary>The meter of the HTTP transport (<c>OfflineSync.Http</c>).</summary>
    public const string HttpMeterName = "OfflineSync.Http";

    /// <summary>The meter of the reference server (<c>OfflineSync.Server</c>).</summary>
    public const string ServerMeterName = "OfflineSync.Server";

    /// <summary>The meter tag that carries the client id on every client-side meter.</summary>
    public const string ClientIdTag = "offlinesync.client_id";
}
