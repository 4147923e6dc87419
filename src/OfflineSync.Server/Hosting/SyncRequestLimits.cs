using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OfflineSync.Server.Endpoints;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Hosting;

/// <summary>
/// Answers requests over the URL and header limits with problem details. Kestrel refuses such requests
/// itself with an empty 414 or 431 before any middleware runs, and that answer cannot be changed; so
/// Kestrel's own limits are raised above the server's (<see cref="Configure(KestrelServerOptions)"/>) and this middleware,
/// first in the pipeline, enforces <see cref="SyncServerOptions.MaxUrlLength"/> and
/// <see cref="SyncServerOptions.MaxRequestHeadersSize"/>. Beyond Kestrel's raised limits its empty answer remains.
/// </summary>
internal sealed class SyncRequestLimits : IStartupFilter, IConfigureOptions<KestrelServerOptions>
{
    /// <summary>Kestrel is let through to at least this size, or twice the server's limit, whichever is larger.</summary>
    internal const int KestrelHeadroom = 64 * 1024;

    private readonly SyncServerOptions _options;

    public SyncRequestLimits(IOptions<SyncServerOptions> options) => _options = options.Value;

    /// <summary>Raises Kestrel's request-line and header limits so the server's own limits answer first; never lowers them.</summary>
    public void Configure(KestrelServerOptions options)
    {
        KestrelServerLimits limits = options.Limits;
        limits.MaxRequestLineSize = Math.Max(limits.MaxRequestLineSize, Math.Max(KestrelHeadroom, 2 * _options.MaxUrlLength));
        limits.MaxRequestHeadersTotalSize = Math.Max(limits.MaxRequestHeadersTotalSize, Math.Max(KestrelHeadroom, 2 * _options.MaxRequestHeadersSize));
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(CheckAsync);
        next(app);
    };

    private Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        string? target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if ((target?.Length ?? 0) > _options.MaxUrlLength)
        {
            return HttpIo.WriteProblemAsync(context, SyncProblem.UriTooLong(_options.MaxUrlLength));
        }

        if (HeadersSize(context.Request.Headers) > _options.MaxRequestHeadersSize)
        {
            return HttpIo.WriteProblemAsync(context, SyncProblem.HeadersTooLarge(_options.MaxRequestHeadersSize));
        }

        return next(context);
    }

    /// <summary>Counts as Kestrel does: each header line's name, value, <c>": "</c> and line end.</summary>
    private static long HeadersSize(IHeaderDictionary headers)
    {
        long size = 0;
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in headers)
        {
            foreach (string? value in header.Value)
            {
                size += header.Key.Length + (value?.Length ?? 0) + 4;
            }
        }

        return size;
    }
}
