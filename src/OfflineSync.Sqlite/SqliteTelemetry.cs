using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OfflineSync.Sqlite;

/// <summary>
/// The store's logs (category <c>OfflineSync.Sqlite</c>: open, schema migration, failures) and metrics (a Meter named
/// <see cref="SyncDiagnostics.SqliteMeterName"/>: writes that failed). Instruments and tags are listed in
/// docs/observability.md.
/// </summary>
internal sealed partial class SqliteTelemetry : IDisposable
{
    private readonly OwnedMeter _meter;
    private readonly Counter<long> _writeFailures;

    public SqliteTelemetry(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("OfflineSync.Sqlite");
        _meter = new OwnedMeter(meterFactory, new MeterOptions(SyncDiagnostics.SqliteMeterName));
        _writeFailures = _meter.Meter.CreateCounter<long>("offlinesync.sqlite.write_failures", "{failure}", "Writes the store could not make (the call threw SyncStoreException and stored nothing), by operation.");
    }

    public ILogger Logger { get; }

    public void WriteFailed(string path, string operation, Exception exception)
    {
        if (_writeFailures.Enabled)
        {
            _writeFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
        }

        WriteFailedLog(Logger, path, operation, exception);
    }

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(1, LogLevel.Information, "Opened the mutation store {Path} (schema {Version}, durability {Durability})")]
    public static partial void Opened(ILogger logger, string path, int version, Durability durability);

    [LoggerMessage(2, LogLevel.Information, "Migrated the mutation store {Path} from schema {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(3, LogLevel.Error, "The mutation store {Path} could not be opened")]
    public static partial void OpenFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "The mutation store {Path} could not {Operation}; nothing of that call was stored")]
    private static partial void WriteFailedLog(ILogger logger, string path, string operation, Exception exception);
}
