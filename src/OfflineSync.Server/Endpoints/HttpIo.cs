using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using OfflineSync.Protocol;
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

    /// <summary>Writes an outcome as the answer to a single create, update or delete.</summary>
    public static async Task WriteOutcomeAsync(HttpContext context, string resource, MutationOutcome outcome)
    {
        if (outcome.Problem is { } problem)
        {
            if (problem.CurrentVersion is long current)
            {
                context.Response.Headers.ETag = FormatETag(current);
            }

            await WriteProblemAsync(context, problem).ConfigureAwait(false);
            return;
        }

        HttpResponse response = context.Response;
        response.StatusCode = outcome.Status;
        if (outcome.Key is { } key)
        {
            response.Headers[SyncHeaderNames.SyncKey] = key;
            if (outcome.Status == StatusCodes.Status201Created)
            {
                response.Headers.Location = $"{context.Request.PathBase}/sync/{resource}/{Uri.EscapeDataString(key)}";
            }
        }

        if (outcome.OptimisticKey is { } optimistic)
        {
            response.Headers[SyncHeaderNames.OptimisticId] = optimistic;
        }

        if (outcome.Version is long version)
        {
            response.Headers.ETag = FormatETag(version);
        }

        if (outcome.Replayed)
        {
            response.Headers[SyncHeaderNames.Replayed] = "true";
        }

        if (outcome.Body is { } body && outcome.Status != StatusCodes.Status204NoContent)
        {
            response.ContentType = JsonContentType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Writes an RFC 9457 problem-details response.</summary>
    public static async Task WriteProblemAsync(HttpContext context, SyncProblem problem)
    {
        HttpResponse response = context.Response;
        response.StatusCode = problem.Status;
        response.ContentType = ProblemContentType;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers[HeaderNames.RetryAfter] = "1";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            problem.WriteTo(writer);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes UTF-8 JSON made by <paramref name="write"/> as a 200 response.</summary>
    public static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Gets a header value, or <see langword="null"/> when it is absent or empty.</summary>
    public static string? Header(HttpRequest request, string name)
    {
        string? value = request.Headers[name];
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
