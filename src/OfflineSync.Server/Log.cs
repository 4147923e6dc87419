using Microsoft.Extensions.Logging;

namespace OfflineSync.Server;

/// <summary>The server's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "OfflineSync request {Method} {Path} failed.")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    /// <summary>The client hung up (mid-upload, or before the answer was written): nobody is left to answer, and it is not a server fault.</summary>
    [LoggerMessage(2, LogLevel.Debug, "OfflineSync request {Method} {Path} ended: the client went away ({Reason}).")]
    public static partial void ClientGone(ILogger logger, string method, string path, string reason);

    /// <summary>Kestrel refused the request's framing while the handler read it (a broken chunked body, a short body).</summary>
    [LoggerMessage(3, LogLevel.Information, "OfflineSync request {Method} {Path} rejected with {Status}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int status, string reason);
}
