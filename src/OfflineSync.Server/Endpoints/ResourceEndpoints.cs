using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Endpoints;

/// <summary>The per-resource endpoints: create, update, delete, read one, list.</summary>
internal sealed class ResourceEndpoints
{
    private readonly SyncServerState _state;
    private readonly SyncResource _resource;

    public ResourceEndpoints(SyncServerState state, SyncResource resource)
    {
        _state = state;
        _resource = resource;
    }

    public Task CreateAsync(HttpContext context) => WriteAsync(context, MutationKind.Create, key: null);

    public Task UpdateAsync(HttpContext context) => WriteAsync(context, MutationKind.Update, (string?)context.Request.RouteValues["key"]);

    public Task DeleteAsync(HttpContext context) => WriteAsync(context, MutationKind.Delete, (string?)context.Request.RouteValues["key"]);

    public Task GetAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        string key = (string)context.Request.RouteValues["key"]!;
        SyncReads.RowItem? row;
        using (var connection = _state.Store.OpenReader())
        {
            row = SyncReads.GetRow(connection, _resource.Name, key);
        }

        if (row is not { } found)
        {
            await HttpIo.WriteProblemAsync(context, SyncProblem.NotFound(_resource.Name, key)).ConfigureAwait(false);
            return;
        }

        await HttpIo.WriteOutcomeAsync(context, _resource.Name, new MutationOutcome(200)
        {
            Key = found.Key,
            OptimisticKey = found.OriginOptimisticKey,
            Version = found.Version,
            Body = found.Json,
        }).ConfigureAwait(false);
    });

    public Task ListAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        string? after = context.Request.Query["after"];
        if (string.IsNullOrEmpty(after))
        {
            after = null;
        }

        int limit = 100;
        string? limitText = context.Request.Query["limit"];
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            await HttpIo.WriteProblemAsync(context, SyncProblem.InvalidHeader($"'limit' must be a positive integer, not '{limitText}'.")).ConfigureAwait(false);
            return;
        }

        limit = Math.Min(limit, _state.Options.MaxPageSize);
        (List<SyncReads.RowItem> items, long sequence, bool hasMore) page;
        using (var connection = _state.Store.OpenReader())
        {
            page = SyncReads.ListPage(connection, _resource.Name, after, limit);
        }

        await HttpIo.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (SyncReads.RowItem item in page.items)
            {
                writer.WriteStartObject();
                writer.WriteString("key", item.Key);
                writer.WriteString("originOptimisticKey", item.OriginOptimisticKey);
                writer.WriteString("version", item.Version.ToString(CultureInfo.InvariantCulture));
                writer.WritePropertyName("data");
                writer.WriteRawValue(item.Json, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("seq", page.sequence);
            writer.WriteBoolean("hasMore", page.hasMore);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    });

    private Task WriteAsync(HttpContext context, MutationKind kind, string? key) => Guard.RunAsync(_state, context, async () =>
    {
        HttpRequest request = context.Request;
        if (!HttpIo.TryParseIfMatch(request.Headers.IfMatch, out long? ifMatch))
        {
            await HttpIo.WriteProblemAsync(context, SyncProblem.InvalidHeader($"If-Match must be a version ETag such as \"3\", not '{request.Headers.IfMatch}'.")).ConfigureAwait(false);
            return;
        }

        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        if (kind != MutationKind.Delete)
        {
            (byte[]? read, SyncProblem? problem) = await HttpIo.ReadBodyAsync(context, _state.Options.MaxRequestBodySize).ConfigureAwait(false);
            if (problem is not null)
            {
                await HttpIo.WriteProblemAsync(context, problem).ConfigureAwait(false);
                return;
            }

            body = read;
        }

        var mutation = new MutationRequest(
            kind,
            key,
            HttpIo.Header(request, SyncHeaderNames.OptimisticId),
            HttpIo.Header(request, SyncHeaderNames.ClientId),
            HttpIo.Header(request, SyncHeaderNames.IdempotencyKey),
            ifMatch,
            body);
        MutationOutcome outcome = await _state.Store.WriteAsync(
            session => _state.Processor.Apply(session, _resource, mutation, scope: null),
            context.RequestAborted).ConfigureAwait(false);
        await HttpIo.WriteOutcomeAsync(context, _resource.Name, outcome).ConfigureAwait(false);
    });
}

/// <summary>Turns an unexpected exception of a handler into a logged 500 problem, so every error is problem details.</summary>
internal static class Guard
{
    public static async Task RunAsync(SyncServerState state, HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e)
        {
            state.Logger.LogError(e, "OfflineSync request {Method} {Path} failed.", context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await HttpIo.WriteProblemAsync(context, SyncProblem.Internal("The server could not process the request; see the server log.")).ConfigureAwait(false);
            }
        }
    }
}
