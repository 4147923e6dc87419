namespace OfflineSync.Protocol;

/// <summary>
/// The paths and query parameters of the protocol (docs/protocol.md), relative to the server's base address, shared by
/// the transport and the reference server.
/// </summary>
public static class SyncRoutes
{
    /// <summary>The first segment of every path: <c>sync</c> (<c>/sync/{resource}</c>).</summary>
    public const string Root = "sync";

    /// <summary>The batch's segment: <c>batch</c> (<c>POST /sync/batch</c>); no resource may have this name.</summary>
    public const string Batch = "batch";

    /// <summary>The change feed's segment: <c>events</c> (<c>GET /sync/{resource}/events</c>).</summary>
    public const string Events = "events";

    /// <summary>The list's query parameter of the last key of the previous page: <c>after</c>; the feed takes it as a sequence too.</summary>
    public const string After = "after";

    /// <summary>The list's query parameter of the page size: <c>limit</c>.</summary>
    public const string Limit = "limit";
}
