using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OfflineSync.Protocol;
using OfflineSync.Server.Json;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// <c>POST /sync/batch</c>: applies the mutations in order in one transaction and stops at the first that fails, or once
/// the answer reaches <see cref="SyncServerOptions.MaxBatchAnswerBytes"/>; the answer holds one result per attempted
/// mutation. Each item is held to its resource's own endpoint conventions first (<see cref="BatchConventions"/>), and a
/// write a row policy refuses refuses the whole batch: 401 or 403 problem details, the transaction rolled back, nothing
/// applied.
/// </summary>
internal sealed class BatchEndpoint
{
    private readonly SyncServerState _state;

    public BatchEndpoint(SyncServerState state) => _state = state;

    public Task HandleAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        SyncProblem? refused = RequestIdentity.TryReadHeader(context, out string? clientId);
        if (refused is null && !HttpIo.IsJson(context.Request.ContentType))
        {
            refused = SyncProblem.UnsupportedMediaType(context.Request.ContentType);
        }

        byte[]? body = null;
        if (refused is null)
        {
            (body, refused) = await HttpIo.ReadBodyAsync(context, _state.Options.MaxBatchBodySize).ConfigureAwait(false);
        }

        List<BatchItem> items = [];
        refused ??= BatchRequestReader.TryRead(body!, clientId, _state.Options.MaxBatchSize, out items);

        // Conventions first: authorization may authenticate the caller, and the caller decides the client.
        refused ??= await BatchConventions.CheckAsync(context, _state, items.Select(static i => i.Resource)).ConfigureAwait(false);
        refused ??= RequestIdentity.TryBind(context, _state.Options, ref clientId);
        if (refused is not null)
        {
            await HttpIo.WriteProblemAsync(context, refused).ConfigureAwait(false);
            return;
        }

        AnswerBuffer answer;
        try
        {
            answer = await WriteAsync(context, items, clientId).ConfigureAwait(false);
        }
        catch (BatchRefusedException e)
        {
            await HttpIo.WriteProblemAsync(context, e.Problem).ConfigureAwait(false);
            return;
        }

        using (answer)
        {
            await answer.WriteToAsync(context).ConfigureAwait(false);
        }
    });

    /// <summary>Applies the items in one transaction and computes the answer inside it.</summary>
    /// <exception cref="BatchRefusedException">A row policy refused an item; the transaction rolled back.</exception>
    private async Task<AnswerBuffer> WriteAsync(HttpContext context, List<BatchItem> items, string? clientId)
    {
        List<MutationOutcome> outcomes = [];

        // The answer is computed inside the transaction (if it cannot be written, nothing is committed) and sent after the
        // commit, so a slow reader never holds the store's writer. Once it reaches MaxBatchAnswerBytes, the items left are
        // not applied: the answer, and what one batch stores, stay bounded however large its rows are.
        AnswerBuffer answer = await _state.Store.WriteAsync(async session =>
        {
            var attempt = new List<MutationOutcome>(items.Count);
            await Prefetch(session, items, clientId).ConfigureAwait(false);
            var scope = new BatchScope();
            var buffer = new AnswerBuffer();
            try
            {
                using var writer = new Utf8JsonWriter(buffer.Writer, ServerJson.WriterOptions);
                writer.WriteStartObject();
                writer.WriteStartArray(SyncFieldNames.Results);
                for (int i = 0; i < items.Count && (i == 0 || writer.BytesCommitted + writer.BytesPending < _state.Options.MaxBatchAnswerBytes); i++)
                {
                    MutationOutcome outcome = await ApplyAsync(session, items[i], clientId, context.User, scope).ConfigureAwait(false);
                    if (outcome.Problem is { Status: StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden } refusal)
                    {
                        throw new BatchRefusedException(refusal with { Detail = $"Mutation {i}: {refusal.Detail} Nothing of the batch was applied.", Mutation = i });
                    }

                    WriteResult(writer, items[i], outcome);
                    attempt.Add(outcome);
                    if (!outcome.IsSuccess)
                    {
                        break;
                    }
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                outcomes = attempt; // the store may run the work again: the attempt that commits is counted
                return buffer;
            }
            catch
            {
                buffer.Dispose(); // the store may run the work again; this attempt's answer is dropped
                throw;
            }
        }, context.RequestAborted).ConfigureAwait(false);

        // Counted once committed: a batch rolled back (or refused whole) was not answered.
        for (int i = 0; i < outcomes.Count; i++)
        {
            _state.Telemetry.Mutation(items[i].Resource, items[i].Kind, outcomes[i]);
        }

        return answer;
    }

    /// <summary>Reads ahead the rows the batch updates or deletes and its idempotency records (<see cref="Storage.IWriteSession.PrefetchAsync"/>).</summary>
    private static ValueTask Prefetch(Storage.IWriteSession session, List<BatchItem> items, string? clientId)
    {
        var rows = new HashSet<(string, string)>();
        var keys = new HashSet<(string?, string)>();
        foreach (BatchItem item in items)
        {
            if (item.Kind != MutationKind.Create && item.Key is { } key)
            {
                rows.Add((item.Resource, key));
            }

            if (item.IdempotencyKey is { } idempotencyKey)
            {
                keys.Add((clientId, idempotencyKey));
            }
        }

        return session.PrefetchAsync(rows, keys);
    }

    private ValueTask<MutationOutcome> ApplyAsync(Storage.IWriteSession session, BatchItem item, string? clientId, System.Security.Claims.ClaimsPrincipal user, BatchScope scope)
    {
        if (_state.Find(item.Resource) is not { } resource)
        {
            return ValueTask.FromResult(MutationOutcome.Fail(SyncProblem.UnknownResource(item.Resource)));
        }

        if (!HttpIo.TryParseIfMatch(item.BaseVersion, out long? baseVersion))
        {
            return ValueTask.FromResult(MutationOutcome.Fail(SyncProblem.InvalidHeader($"baseVersion must be a version such as \"3\", not '{item.BaseVersion}'.")));
        }

        if (item.Data.Length > _state.Options.MaxRequestBodySize)
        {
            // The limit of a single create or update holds inside a batch too: a batch is not a way around it.
            return ValueTask.FromResult(MutationOutcome.Fail(SyncProblem.ItemTooLarge(_state.Options.MaxRequestBodySize)));
        }

        var request = new MutationRequest(
            item.Kind,
            item.Kind == MutationKind.Create ? null : item.Key,
            item.Kind == MutationKind.Create && item.OptimisticKey is { Length: > 0 } optimistic ? optimistic : null,
            clientId,
            item.IdempotencyKey,
            baseVersion,
            item.Data,
            user);
        return _state.Processor.ApplyAsync(session, resource, request, scope);
    }

    private static void WriteResult(Utf8JsonWriter writer, BatchItem item, MutationOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WriteNumber(SyncFieldNames.Status, outcome.Status);
        if (outcome.Problem is { } problem)
        {
            writer.WritePropertyName(SyncFieldNames.Problem);
            problem.WriteTo(writer);
            writer.WriteEndObject();
            return;
        }

        writer.WriteString(SyncFieldNames.Key, outcome.Key ?? item.Key);
        if (outcome.OptimisticKey is { } optimistic)
        {
            writer.WriteString(SyncFieldNames.OptimisticKey, optimistic);
        }

        if (outcome.Version is long version)
        {
            writer.WriteString(SyncFieldNames.Version, version.ToString(CultureInfo.InvariantCulture));
        }

        if (outcome.Replayed)
        {
            writer.WriteBoolean(SyncFieldNames.Replayed, true);
        }

        if (outcome.Body is { } body && outcome.Status != StatusCodes.Status204NoContent)
        {
            writer.WritePropertyName(SyncFieldNames.Data);
            writer.WriteRawValue(body, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }
}

/// <summary>Rolls back a batch a row policy refused, carrying the problem to answer.</summary>
internal sealed class BatchRefusedException(SyncProblem problem) : Exception(problem.Detail)
{
    public SyncProblem Problem { get; } = problem;
}
