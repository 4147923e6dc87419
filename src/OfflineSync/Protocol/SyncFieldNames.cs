namespace OfflineSync.Protocol;

/// <summary>
/// JSON field names of the protocol's bodies (docs/protocol.md): batch requests and answers, list pages and
/// change-feed events, written by one side and read by the other, so defined once for the transport and the
/// reference server.
/// </summary>
public static class SyncFieldNames
{
    /// <summary>
    /// The optimistic key the row was created from: <c>originOptimisticKey</c>. Present only when the
    /// requesting client created the row.
    /// </summary>
    public const string OriginOptimisticKey = "originOptimisticKey";

    /// <summary>
    /// The client that created the row: <c>originClientId</c>, beside <see cref="OriginOptimisticKey"/> and
    /// only with it, always equal to the requesting client's <c>X-Client-Id</c>.
    /// </summary>
    public const string OriginClientId = "originClientId";

    /// <summary>A row's key: <c>key</c> (list items, feed events, batch items and results).</summary>
    public const string Key = "key";

    /// <summary>A row's version, a decimal string: <c>version</c> (list items, feed events, batch results, conflicts).</summary>
    public const string Version = "version";

    /// <summary>A row, an entity or a patch as JSON: <c>data</c> (list items, feed events, batch items and results).</summary>
    public const string Data = "data";

    /// <summary>The rows of a list page: <c>items</c>.</summary>
    public const string Items = "items";

    /// <summary>The change-log head a list page was read at: <c>seq</c>.</summary>
    public const string Sequence = "seq";

    /// <summary>Whether rows follow a list page: <c>hasMore</c>.</summary>
    public const string HasMore = "hasMore";

    /// <summary>The mutations of a batch request: <c>mutations</c>.</summary>
    public const string Mutations = "mutations";

    /// <summary>A batch item's resource name: <c>resource</c>.</summary>
    public const string Resource = "resource";

    /// <summary>A batch item's kind, <c>create</c>, <c>update</c> or <c>delete</c>: <c>kind</c>.</summary>
    public const string Kind = "kind";

    /// <summary>A batch item's key as the client gave it to a created item, or a create result's: <c>optimisticKey</c>.</summary>
    public const string OptimisticKey = "optimisticKey";

    /// <summary>A batch item's idempotency key: <c>idempotencyKey</c>.</summary>
    public const string IdempotencyKey = "idempotencyKey";

    /// <summary>A batch item's base version, as <c>If-Match</c>: <c>baseVersion</c>.</summary>
    public const string BaseVersion = "baseVersion";

    /// <summary>A batch item's client id, absent or the request's <c>X-Client-Id</c>: <c>clientId</c>.</summary>
    public const string ClientId = "clientId";

    /// <summary>The per-item results of a batch answer: <c>results</c>.</summary>
    public const string Results = "results";

    /// <summary>A batch result's status: <c>status</c>.</summary>
    public const string Status = "status";

    /// <summary>A batch result's replay flag: <c>replayed</c>.</summary>
    public const string Replayed = "replayed";

    /// <summary>A failed batch item's problem details: <c>problem</c>.</summary>
    public const string Problem = "problem";

    /// <summary>A problem's type URI (RFC 9457): <c>type</c>.</summary>
    public const string Type = "type";

    /// <summary>A problem's title (RFC 9457): <c>title</c>.</summary>
    public const string Title = "title";

    /// <summary>A problem's detail (RFC 9457): <c>detail</c>.</summary>
    public const string Detail = "detail";

    /// <summary>A conflict problem's current row, beside its <see cref="Version"/>: <c>current</c>.</summary>
    public const string Current = "current";

    /// <summary>
    /// A problem that refuses a whole batch for one of its mutations (401, 403): that mutation's index in the request's
    /// <see cref="Mutations"/>, from 0: <c>mutation</c>.
    /// </summary>
    public const string Mutation = "mutation";
}
