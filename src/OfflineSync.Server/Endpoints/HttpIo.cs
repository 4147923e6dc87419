using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OfflineSync.Protocol;
using OfflineSync.Server.Json;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>Reads request bodies within limits and writes outcomes and problems as HTTP responses.</summary>
internal static class HttpIo
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string ProblemContentType = "application/problem+json; charset=utf-8";

    /// <summary>Reads the whole body, refusing more than <paramref name="limit"/> bytes.</summary>
    public static async Task<(byte[]? Body, SyncProblem? Problem)> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return (null, SyncProblem.TooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream(context.Request.ContentLength is long length ? (int)length : 1024);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, SyncProblem.TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, SyncProblem.TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>Parses <c>If-Match</c>: absent or <c>*</c> means "any version".</summary>
    public static bool TryParseIfMatch(string? header, out long? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return true;
        }

        ReadOnlySpan<char> text = header.AsSpan().Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        text = text.Trim('"');
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
        {
            version = parsed;
            return true;
        }

        return false;
    }

    public static string FormatETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>
    /// Starts an answer: its status, its media type, and <c>X-Content-Type-Options: nosniff</c>, so that no browser takes
    /// the JSON (written with the relaxed encoder, <see cref="ServerJson"/>) or the event stream for HTML.
    /// </summary>
    public static void Start(HttpResponse response, int status, string contentType)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>Writes an RFC 9457 problem-details response, with <c>Retry-After</c> when the problem passes (a 503).</summary>
    public static async Task WriteProblemAsync(HttpContext context, SyncProblem problem)
    {
        HttpResponse response = context.Response;
        Start(response, problem.Status, ProblemContentType);
        if (problem.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "1";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ServerJson.WriterOptions))
        {
            problem.WriteTo(writer);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Gets a header value, or <see langword="null"/> when it is absent or empty.</summary>
    public static string? Header(HttpRequest request, string name)
    {
        string? value = request.Headers[name];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// Reads a header the protocol allows once: <paramref name="value"/> is <see langword="null"/> when it is
    /// absent or empty. Sent twice it would reach the handler as one comma-joined value, a different token.
    /// </summary>
    /// <returns>400 <c>invalid_header</c> when the header is repeated, otherwise <see langword="null"/>.</returns>
    public static SyncProblem? TrySingleHeader(HttpRequest request, string name, out string? value)
    {
        StringValues values = request.Headers[name];
        value = null;
        if (values.Count > 1)
        {
            return SyncProblem.InvalidHeader($"{name} was sent {values.Count} times; send it once.");
        }

        value = string.IsNullOrEmpty(values) ? null : values.ToString();
        return null;
    }

    /// <summary>
    /// Returns whether a write's <c>Content-Type</c> is JSON the server reads: <c>application/json</c> or a
    /// <c>+json</c> type, in UTF-8 (no charset, or <c>utf-8</c>).
    /// </summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media))
        {
            return false;
        }

        bool json = media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
        StringSegment charset = media.Charset;
        return json && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
