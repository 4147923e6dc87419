using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OfflineSync.Protocol;
using OfflineSync.Server.Json;
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

    public Task CreateAsync(HttpContext context) => WriteAsync(context, MutationKind.Create);

    public Task UpdateAsync(HttpContext context) => WriteAsync(context, MutationKind.Update);

    public Task DeleteAsync(HttpContext context) => WriteAsync(context, MutationKind.Delete);

    public Task GetAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        string key = (string)context.Request.RouteValues["key"]!;
        SyncProblem? refused = RequestIdentity.TryGetClientId(context, _state.Options, out string? clientId);
        if ((refused ?? InputRules.CheckKey(key, "The path's key")) is { } problem)
        {
            await HttpIo.WriteProblemAsync(context, problem).ConfigureAwait(false);
            return;
        }

        RowItem? row = await _state.Store.GetRowAsync(_resource.ScopeFor(context.User, clientId), key, context.RequestAborted).ConfigureAwait(false);
        MutationOutcome outcome = row is { } found
            ? new MutationOutcome(200)
            {
                Key = found.Key,
                OptimisticKey = found.Origin,
                Version = found.Version,
                Body = found.Json,
            }
            : MutationOutcome.Fail(SyncProblem.NotFound(_resource.Name, key));
        await MutationAnswer.From(context.Request.PathBase, _resource.Name, outcome).WriteAsync(context).ConfigureAwait(false);
    });

    /// <summary>
    /// <c>GET /sync/{resource}</c>: one page of rows ordered by key, at most <c>limit</c> rows and about
    /// <see cref="SyncServerOptions.MaxPageBytes"/> of them (<c>hasMore</c> says more follow), written to the response
    /// as it goes, after the read has ended.
    /// </summary>
    public Task ListAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        string? after = context.Request.Query[SyncRoutes.After];
        if (string.IsNullOrEmpty(after))
        {
            after = null;
        }

        SyncProblem? refused = RequestIdentity.TryGetClientId(context, _state.Options, out string? clientId) ?? (after is null ? null : InputRules.CheckKey(after, $"'{SyncRoutes.After}'"));
        int limit = 100;
        string? limitText = context.Request.Query[SyncRoutes.Limit];
        if (refused is null && limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            refused = SyncProblem.InvalidHeader($"'{SyncRoutes.Limit}' must be a positive integer, not '{limitText}'.");
        }

        if (refused is not null)
        {
            await HttpIo.WriteProblemAsync(context, refused).ConfigureAwait(false);
            return;
        }

        var budget = new PageBudget(Math.Min(limit, _state.Options.MaxPageSize), _state.Options.MaxPageBytes);
        RowPage page = await _state.Store.ListPageAsync(_resource.ScopeFor(context.User, clientId), after, budget, context.RequestAborted).ConfigureAwait(false);

        await using StreamedJson answer = StreamedJson.Start(context);
        Utf8JsonWriter writer = answer.Writer;
        writer.WriteStartObject();
        writer.WriteStartArray(SyncFieldNames.Items);
        foreach (RowItem item in page.Items)
        {
            writer.WriteStartObject();
            writer.WriteString(SyncFieldNames.Key, item.Key);
            if (item.Origin is { } origin)
            {
                writer.WriteString(SyncFieldNames.OriginOptimisticKey, origin);
                writer.WriteString(SyncFieldNames.OriginClientId, RequestIdentity.OnWire(clientId));
            }

            writer.WriteString(SyncFieldNames.Version, item.Version.ToString(CultureInfo.InvariantCulture));
            writer.WritePropertyName(SyncFieldNames.Data);
            writer.WriteRawValue(item.Json, skipInputValidation: true);
            writer.WriteEndObject();
            await answer.FlushIfDueAsync().ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteNumber(SyncFieldNames.Sequence, page.Sequence);
        writer.WriteBoolean(SyncFieldNames.HasMore, page.HasMore);
        writer.WriteEndObject();
        await answer.FlushAsync().ConfigureAwait(false);
    });

    private Task WriteAsync(HttpContext context, MutationKind kind) => Guard.RunAsync(_state, context, async () =>
    {
        if (await ReadRequestAsync(context, kind).ConfigureAwait(false) is not { } mutation)
        {
            return;
        }

        PathString pathBase = context.Request.PathBase;
        MutationAnswer answer = await _state.Store.WriteAsync(
            async session => MutationAnswer.From(pathBase, _resource.Name, await _state.Processor.ApplyAsync(session, _resource, mutation, scope: null).ConfigureAwait(false)),
            context.RequestAborted).ConfigureAwait(false);
        await answer.WriteAsync(context).ConfigureAwait(false);
    });

    /// <summary>
    /// Checks everything about a single write that can be checked without the store — identity, tokens,
    /// media type, size — and reads its body; answers the first refusal and returns <see langword="null"/>.
    /// </summary>
    private async Task<MutationRequest?> ReadRequestAsync(HttpContext context, MutationKind kind)
    {
        HttpRequest request = context.Request;
        string? key = kind == MutationKind.Create ? null : (string?)request.RouteValues["key"];
        string? idempotencyKey = null, optimisticKey = null;
        SyncProblem? refused = RequestIdentity.TryGetClientId(context, _state.Options, out string? clientId);
        refused ??= HttpIo.TrySingleHeader(request, SyncHeaderNames.IdempotencyKey, out idempotencyKey);
        refused ??= HttpIo.TrySingleHeader(request, SyncHeaderNames.OptimisticId, out optimisticKey);
        refused ??= idempotencyKey is null ? null : InputRules.CheckIdempotencyKey(idempotencyKey, SyncHeaderNames.IdempotencyKey);
        refused ??= key is null ? null : InputRules.CheckKey(key, "The path's key");
        refused ??= kind != MutationKind.Create || optimisticKey is null ? null : InputRules.CheckKey(optimisticKey, SyncHeaderNames.OptimisticId);
        long? ifMatch = null;
        if (refused is null && !HttpIo.TryParseIfMatch(request.Headers.IfMatch, out ifMatch))
        {
            refused = SyncProblem.InvalidHeader($"If-Match must be a version ETag such as \"3\", not '{request.Headers.IfMatch}'.");
        }

        if (refused is null && kind != MutationKind.Delete && !HttpIo.IsJson(request.ContentType))
        {
            refused = SyncProblem.UnsupportedMediaType(request.ContentType);
        }

        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        if (refused is null && kind != MutationKind.Delete)
        {
            (byte[]? read, refused) = await HttpIo.ReadBodyAsync(context, _state.Options.MaxRequestBodySize).ConfigureAwait(false);
            body = read;
        }

        if (refused is not null)
        {
            await HttpIo.WriteProblemAsync(context, refused).ConfigureAwait(false);
            return null;
        }

        return new MutationRequest(kind, key, kind == MutationKind.Create ? optimisticKey : null, clientId, idempotencyKey, ifMatch, body, context.User);
    }
}
