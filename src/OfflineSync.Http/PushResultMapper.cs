using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OfflineSync.Protocol;

namespace OfflineSync.Http;

/// <summary>
/// Turns answers into <see cref="PushResult"/>s: 2xx → Applied, 409 → Conflict with the server's
/// state, 408/429/5xx → Transient with <c>Retry-After</c>, 401 → Unauthorized, other statuses (403 among them) → Rejected. An answer that
/// does not look like the protocol (an HTML error page, truncated JSON) becomes Transient (2xx, 5xx)
/// or Rejected (4xx) with the raw status and a short excerpt, never an exception.
/// </summary>
internal sealed class PushResultMapper
{
    private readonly int _excerptLength;

    public PushResultMapper(int excerptLength) => _excerptLength = excerptLength;

    public PushResult Map(in ServerAnswer answer, OutgoingMutation mutation)
    {
        int status = answer.Status;
        if (status is >= 200 and < 300)
        {
            if (mutation.Kind == MutationKind.Delete || status == (int)HttpStatusCode.NoContent)
            {
                return new PushResult.Applied(answer.Key ?? mutation.Key, answer.Version, ReadOnlyMemory<byte>.Empty);
            }

            if (!JsonFields.IsObject(answer.Data.Span))
            {
                return new PushResult.Transient($"HTTP {status} without the expected JSON entity: {Excerpt(answer.Data.Span)}", null);
            }

            if (mutation.Kind == MutationKind.Create && answer.Key is null)
            {
                return new PushResult.Transient($"HTTP {status} without the server key ({SyncHeaderNames.SyncKey}) of the created row.", null);
            }

            return new PushResult.Applied(answer.Key ?? mutation.Key, answer.Version, answer.Data);
        }

        string error = answer.Problem?.Describe(status) ?? $"HTTP {status}: {Excerpt(answer.Data.Span)}";
        if (status == (int)HttpStatusCode.Conflict)
        {
            ReadOnlyMemory<byte> state = answer.Problem?.Current ?? ReadOnlyMemory<byte>.Empty;
            return new PushResult.Conflict(state, state.IsEmpty ? null : answer.Problem?.Version ?? answer.Version, error);
        }

        if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500)
        {
            return new PushResult.Transient(error, answer.RetryAfter);
        }

        if (status == (int)HttpStatusCode.Unauthorized)
        {
            // The credentials, not the mutation: the client refreshes them once, then waits for new ones.
            return new PushResult.Unauthorized($"The server refused the credentials (HTTP 401): {error}");
        }

        if (status == (int)HttpStatusCode.Forbidden)
        {
            // The caller is known and may not make this write: an access rule of the server, final for this mutation.
            return new PushResult.Rejected($"The server's access rules refused this mutation (HTTP 403 Forbidden): {error}", status);
        }

        return new PushResult.Rejected(error, status);
    }

    /// <summary>Reads a single-mutation response.</summary>
    public static ServerAnswer ReadResponse(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        int status = (int)response.StatusCode;
        string? key = HeaderValue(response.Headers, SyncHeaderNames.SyncKey);
        string? version = ParseETag(response.Headers.ETag?.Tag);
        ProblemInfo? problem = null;
        if (status >= 300 && IsProblemOrJson(response.Content.Headers.ContentType))
        {
            problem = TryReadProblem(body);
        }

        return new ServerAnswer(status, key, version, body, problem, RetryAfter(response.Headers.RetryAfter));
    }

    public static ProblemInfo? TryReadProblem(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            return reader.Read() ? ProblemInfo.Read(ref reader, body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Excerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "(empty body)";
        }

        string text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, _excerptLength * 4)]);
        var collapsed = new StringBuilder(Math.Min(text.Length, _excerptLength));
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = collapsed.Length > 0;
                continue;
            }

            if (space)
            {
                collapsed.Append(' ');
                space = false;
            }

            collapsed.Append(c);
            if (collapsed.Length >= _excerptLength)
            {
                collapsed.Append('…');
                break;
            }
        }

        return collapsed.ToString();
    }

    public static string? ParseETag(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }

        ReadOnlySpan<char> text = tag.AsSpan();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        return text.Trim('"').ToString();
    }

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            TimeSpan wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string? HeaderValue(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static bool IsProblemOrJson(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is { } mediaType && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
}
