using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OfflineSync.Http;

/// <summary>
/// The transport's logs (category <c>OfflineSync.Http</c>) and metrics (a Meter named
/// <see cref="SyncDiagnostics.HttpMeterName"/>): requests the server refused or that failed, and batches sent again
/// shorter after a 413 or a 403. Instruments and tags are listed in docs/observability.md. <c>HttpClient</c>'s own
/// <c>http.client.request.duration</c> covers the rest.
/// </summary>
internal sealed partial class HttpTelemetry : IDisposable
{
    private readonly OwnedMeter _meter;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _shortened;
    private readonly ILogger _logger;

    public HttpTelemetry(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("OfflineSync.Http");
        _meter = new OwnedMeter(meterFactory, new MeterOptions(SyncDiagnostics.HttpMeterName));
        _failures = _meter.Meter.CreateCounter<long>("offlinesync.http.failures", "{request}", "Push, list and feed requests that failed, by operation and error type (the HTTP status code, timeout, or the exception type).");
        _shortened = _meter.Meter.CreateCounter<long>("offlinesync.http.batch.shortened", "{request}", "Batches the server refused together (413 too large; 403 for one of their mutations), sent again with fewer mutations.");
    }

    /// <summary>Records an answer that is not a success: 401 and 403 are logged as warnings (credentials need attention), the rest at debug level.</summary>
    public void Refused(string operation, Uri? uri, int status)
    {
        Count(operation, status.ToString(CultureInfo.InvariantCulture));
        if (status is 401 or 403)
        {
            Unauthorized(_logger, operation, uri, status);
        }
        else
        {
            RefusedRequest(_logger, operation, uri, status);
        }
    }

    /// <summary>Records a request that got no answer: a connection error or a timeout.</summary>
    public void Failed(string operation, Uri? uri, Exception exception)
    {
        string type = exception is OperationCanceledException or TimeoutException ? "timeout" : exception.GetType().FullName ?? exception.GetType().Name;
        Count(operation, type);
        FailedRequest(_logger, operation, uri, type, exception.Message);
    }

    /// <summary>Records a batch of <paramref name="count"/> mutations refused together (413, 403), sent again as its first <paramref name="next"/>.</summary>
    public void BatchShortened(int count, int next)
    {
        if (_shortened.Enabled)
        {
            _shortened.Add(1);
        }

        Shortened(_logger, count, next);
    }

    public void Dispose() => _meter.Dispose();

    private void Count(string operation, string errorType)
    {
        if (_failures.Enabled)
        {
            _failures.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("error.type", errorType));
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The server refused the {Operation} request to {Uri} with {Status}: the credentials are missing, expired or not allowed")]
    private static partial void Unauthorized(ILogger logger, string operation, Uri? uri, int status);

    [LoggerMessage(2, LogLevel.Debug, "The {Operation} request to {Uri} was answered {Status}")]
    private static partial void RefusedRequest(ILogger logger, string operation, Uri? uri, int status);

    [LoggerMessage(3, LogLevel.Debug, "The {Operation} request to {Uri} failed ({ErrorType}): {Error}")]
    private static partial void FailedRequest(ILogger logger, string operation, Uri? uri, string errorType, string error);

    [LoggerMessage(4, LogLevel.Information, "The server refused a batch of {Count} mutations together (413 too large, or 403 for one of them); sending the first {Next}")]
    private static partial void Shortened(ILogger logger, int count, int next);
}
