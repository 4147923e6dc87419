namespace OfflineSync.Protocol;

/// <summary>
/// The <c>type</c> URIs of the reference server's RFC 9457 problems (docs/protocol.md, "Problems"): <see cref="Prefix"/>
/// followed by a code, for example <c>urn:offlinesync:problem:too_large</c>.
/// </summary>
public static class SyncProblemTypes
{
    /// <summary>The part of every problem type before its code: <c>urn:offlinesync:problem:</c>.</summary>
    public const string Prefix = "urn:offlinesync:problem:";

    /// <summary>The body is not JSON, not the entity's or patch's shape, or not a batch.</summary>
    public const string InvalidBody = Prefix + "invalid_body";

    /// <summary>A header, a batch item's <c>baseVersion</c> or a query parameter is not valid.</summary>
    public const string InvalidHeader = Prefix + "invalid_header";

    /// <summary>A key, client id or idempotency key breaks <see cref="SyncLimits"/>.</summary>
    public const string InvalidKey = Prefix + "invalid_key";

    /// <summary>The body's HTTP framing broke while it was read.</summary>
    public const string BadRequest = Prefix + "bad_request";

    /// <summary>A reference slot holds an optimistic key the request cannot resolve.</summary>
    public const string OptimisticReference = Prefix + "optimistic_reference";

    /// <summary>The caller is not authenticated for a resource of a batch, or for a write a row policy allows only to signed-in callers.</summary>
    public const string Unauthorized = Prefix + "unauthorized";

    /// <summary>The caller may not write a resource of a batch, or a row policy refuses the write.</summary>
    public const string Forbidden = Prefix + "forbidden";

    /// <summary>A cross-origin batch names a resource whose CORS policy does not allow the request's origin.</summary>
    public const string CrossOriginRefused = Prefix + "cross_origin_refused";

    /// <summary>The request is authenticated, but the server finds no id for its user.</summary>
    public const string UnidentifiedUser = Prefix + "unidentified_user";

    /// <summary>A batch names a resource whose endpoints carry conventions the batch cannot apply to an item.</summary>
    public const string BatchUnsupported = Prefix + "batch_unsupported";

    /// <summary>The row does not exist.</summary>
    public const string NotFound = Prefix + "not_found";

    /// <summary>A batch item names a resource the server does not serve.</summary>
    public const string UnknownResource = Prefix + "unknown_resource";

    /// <summary>The row is not at the request's base version.</summary>
    public const string VersionConflict = Prefix + "version_conflict";

    /// <summary>The row was deleted.</summary>
    public const string Gone = Prefix + "gone";

    /// <summary>A body, a batch item or the row a write would store is over its limit.</summary>
    public const string TooLarge = Prefix + "too_large";

    /// <summary>The request target is too long.</summary>
    public const string UriTooLong = Prefix + "uri_too_long";

    /// <summary>A write's <c>Content-Type</c> is not JSON in UTF-8.</summary>
    public const string UnsupportedMediaType = Prefix + "unsupported_media_type";

    /// <summary>The idempotency key was used by this client for another request.</summary>
    public const string IdempotencyKeyReused = Prefix + "idempotency_key_reused";

    /// <summary>The request headers are too large.</summary>
    public const string HeadersTooLarge = Prefix + "headers_too_large";

    /// <summary>The server has as many open change feeds as it allows, for this client or in all: try again after <c>Retry-After</c>.</summary>
    public const string TooManyFeeds = Prefix + "too_many_feeds";

    /// <summary>An unexpected server error.</summary>
    public const string Internal = Prefix + "internal";

    /// <summary>An <c>int</c> or <c>long</c> key sequence has no numbers left.</summary>
    public const string KeySpaceExhausted = Prefix + "key_space_exhausted";
}
