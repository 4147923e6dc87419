using System.Text.Json;
using OfflineSync.Protocol;

namespace OfflineSync.Server.Resources;

/// <summary>
/// An RFC 9457 problem. <see cref="Type"/> is one of <see cref="SyncProblemTypes"/>
/// (<c>urn:offlinesync:problem:{code}</c>); the codes are listed in docs/protocol.md.
/// </summary>
internal sealed record SyncProblem(int Status, string Type, string Title, string Detail)
{
    /// <summary>Gets how long the client should wait before it tries again (<c>Retry-After</c>), for a refusal that passes.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the row's current state for a conflict, as UTF-8 JSON.</summary>
    public byte[]? Current { get; init; }

    /// <summary>Gets the row's current version for a conflict.</summary>
    public long? CurrentVersion { get; init; }

    /// <summary>Gets, for a batch refused whole, the index of the mutation it is refused for (<see cref="SyncFieldNames.Mutation"/>).</summary>
    public int? Mutation { get; init; }

    public static SyncProblem InvalidBody(string detail) => new(400, SyncProblemTypes.InvalidBody, "The request body is not valid.", detail);

    public static SyncProblem InvalidHeader(string detail) => new(400, SyncProblemTypes.InvalidHeader, "A request header is not valid.", detail);

    /// <summary>A key, client id or idempotency key that breaks the protocol's limits (docs/protocol.md, "Limits").</summary>
    /// <param name="field">Where the value came from, for example <c>X-Client-Id</c> or <c>mutation 3: key</c>.</param>
    /// <param name="value">The value as received; <see langword="null"/> for a <c>null</c> element in a list of keys.</param>
    /// <param name="maxLength">The longest value allowed there.</param>
    public static SyncProblem InvalidKey(string field, string? value, int maxLength) => new(400, SyncProblemTypes.InvalidKey, "A key, client id or idempotency key is not valid.",
        value is null
            ? $"{field} holds null; a list of keys may not contain null."
            : $"{field} must be 1 to {maxLength} printable ASCII characters without spaces; it has {value.Length} characters: '{Excerpt(value)}'.");

    /// <summary>A request the server could not read as HTTP (a broken chunked body, a body shorter than its <c>Content-Length</c>).</summary>
    public static SyncProblem BadRequest(int status, string detail) => new(status, SyncProblemTypes.BadRequest, "The request is not valid HTTP.", detail);

    public static SyncProblem UnsupportedMediaType(string? contentType) => new(415, SyncProblemTypes.UnsupportedMediaType, "The request body must be JSON.",
        $"Writes take UTF-8 JSON ('application/json' or a '+json' type); the request says '{Excerpt(contentType ?? "(no Content-Type)")}'.");

    public static SyncProblem UriTooLong(int limit) => new(414, SyncProblemTypes.UriTooLong, "The request URI is too long.", $"The request target exceeds the limit of {limit} characters.");

    public static SyncProblem HeadersTooLarge(int limit) => new(431, SyncProblemTypes.HeadersTooLarge, "The request headers are too large.", $"The request headers exceed the limit of {limit} bytes.");

    public static SyncProblem OptimisticReference(string resource, string key) => new(400, SyncProblemTypes.OptimisticReference,
        "The mutation references an unconfirmed optimistic key.",
        $"'{key}' is an optimistic key of '{resource}' that this request cannot resolve; send the mutation after the create that defines it is confirmed, or in the same batch after it.");

    public static SyncProblem Unauthorized(string resource) => new(401, SyncProblemTypes.Unauthorized, "Authentication is required.", $"Writing '{resource}' requires an authenticated caller; the batch was not applied.");

    public static SyncProblem Forbidden(string resource) => new(403, SyncProblemTypes.Forbidden, "The caller may not write this resource.", $"The caller is not allowed to write '{resource}'; the batch was not applied.");

    /// <summary>A write the resource's row policy refuses (<see cref="SyncRowPolicy{T}.CanWrite"/>): 401 for a caller without credentials, 403 otherwise.</summary>
    public static SyncProblem WriteRefused(string resource, string? key, System.Security.Claims.ClaimsPrincipal user)
    {
        string what = key is null ? $"create this '{resource}' row" : $"change '{resource}/{key}'";
        return user.Identity?.IsAuthenticated == true
            ? new(403, SyncProblemTypes.Forbidden, "The caller may not make this write.", $"The row policy of '{resource}' does not let the caller {what}.")
            : new(401, SyncProblemTypes.Unauthorized, "Authentication is required.", $"The row policy of '{resource}' lets no anonymous caller {what}.");
    }

    /// <summary>An authenticated caller whose user id <see cref="SyncServerOptions.UserId"/> cannot tell (<see cref="Endpoints.RequestIdentity"/>).</summary>
    public static SyncProblem UnidentifiedUser() => new(403, SyncProblemTypes.UnidentifiedUser, "The server cannot tell who the caller is.",
        "The request is authenticated, but its user has no id (SyncServerOptions.UserId found none): the server keeps no client state for a user it cannot name.");

    /// <summary>A resource whose endpoints carry conventions <c>POST /sync/batch</c> cannot run for its items (<see cref="Endpoints.BatchConventions"/>).</summary>
    public static SyncProblem BatchUnsupported(string resource, string conventions) => new(400, SyncProblemTypes.BatchUnsupported, "The batch cannot write this resource.",
        $"The endpoints of '{resource}' carry conventions the batch cannot apply to its items ({conventions}); write '{resource}' through its own endpoints, or remove those conventions. The batch was not applied.");

    /// <summary>A cross-origin batch item for a resource whose CORS policy does not allow the origin.</summary>
    public static SyncProblem CrossOriginRefused(string resource, string origin) => new(403, SyncProblemTypes.CrossOriginRefused, "The origin may not write this resource.",
        $"The CORS policy of '{resource}' does not allow the origin '{Excerpt(origin)}'; the batch was not applied.");

    public static SyncProblem NotFound(string resource, string key) => new(404, SyncProblemTypes.NotFound, "The row does not exist.", $"No '{resource}' row has the key '{key}'.");

    public static SyncProblem UnknownResource(string resource) => new(404, SyncProblemTypes.UnknownResource, "The resource is not served.", $"The server does not serve a resource named '{resource}'.");

    public static SyncProblem VersionConflict(string resource, string key, long? expected, StoredRowView current) => new(409, SyncProblemTypes.VersionConflict,
        "The row changed since the client's base version.",
        $"'{resource}/{key}' is at version {current.Version}; the request expected version {expected}.")
    {
        Current = current.Json,
        CurrentVersion = current.Version,
    };

    public static SyncProblem Gone(string resource, string key) => new(409, SyncProblemTypes.Gone, "The row was deleted.", $"'{resource}/{key}' was deleted by another client.");

    public static SyncProblem TooLarge(long limit) => new(413, SyncProblemTypes.TooLarge, "The request is too large.", $"The body exceeds the limit of {limit} bytes.");

    public static SyncProblem ItemTooLarge(long limit) => new(413, SyncProblemTypes.TooLarge, "The mutation is too large.", $"The mutation's data exceeds the limit of {limit} bytes for a single create or update.");

    public static SyncProblem RowTooLarge(long limit, long size) => new(413, SyncProblemTypes.TooLarge, "The row would be too large.",
        $"Stored, the row's JSON would take {size} bytes, over the limit of {limit} bytes for a row (MaxRowBytes); nothing was stored.");

    /// <summary>The change feed is refused: the client, or the whole server, has as many open feeds as it may.</summary>
    public static SyncProblem TooManyFeeds(string detail, TimeSpan retryAfter) => new(503, SyncProblemTypes.TooManyFeeds, "Too many open change feeds.", detail)
    {
        RetryAfter = retryAfter,
    };

    public static SyncProblem IdempotencyKeyReused(string key) => new(422, SyncProblemTypes.IdempotencyKeyReused,
        "The idempotency key was used with a different request.",
        $"The idempotency key '{key}' was already used for a request with another method, target or body.");

    public static SyncProblem KeySpaceExhausted(string resource) => new(507, SyncProblemTypes.KeySpaceExhausted, "No key is left.", $"The key sequence of '{resource}' is exhausted.");

    public static SyncProblem Internal(string detail) => new(500, SyncProblemTypes.Internal, "The server failed.", detail);

    /// <summary>
    /// Shows at most 64 characters of a refused value, each outside printable ASCII as <c>\uXXXX</c> text: the
    /// detail stays readable, and a lone surrogate cannot make the problem itself unwritable.
    /// </summary>
    private static string Excerpt(string value)
    {
        var text = new System.Text.StringBuilder(Math.Min(value.Length, 64) + 8);
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, 64)))
        {
            if (c is >= ' ' and <= '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return value.Length > 64 ? text.Append("...").ToString() : text.ToString();
    }

    /// <summary>A detail may quote what a client sent; a lone surrogate in it would make the JSON writer throw, so it becomes U+FFFD.</summary>
    private static string WellFormed(string text) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Writes the problem as a JSON object.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(SyncFieldNames.Type, Type);
        writer.WriteString(SyncFieldNames.Title, Title);
        writer.WriteNumber(SyncFieldNames.Status, Status);
        writer.WriteString(SyncFieldNames.Detail, WellFormed(Detail));
        if (CurrentVersion is long version)
        {
            writer.WriteString(SyncFieldNames.Version, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Current is not null)
        {
            writer.WritePropertyName(SyncFieldNames.Current);
            writer.WriteRawValue(Current, skipInputValidation: true);
        }

        if (Mutation is int mutation)
        {
            writer.WriteNumber(SyncFieldNames.Mutation, mutation);
        }

        writer.WriteEndObject();
    }
}

/// <summary>The part of a stored row a conflict reports.</summary>
internal readonly record struct StoredRowView(byte[]? Json, long Version);
