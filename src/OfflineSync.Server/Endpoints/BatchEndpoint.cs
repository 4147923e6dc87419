using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// <c>POST /sync/batch</c>: applies the mutations in order in one transaction and stops at the first
/// that fails; the answer holds one result per attempted mutation.
/// </summary>
internal sealed class BatchEndpoint
{
    private readonly SyncServerState _state;

    public BatchEndpoint(SyncServerState state) => _state = state;

    public Task HandleAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        (byte[]? body, SyncProblem? tooLarge) = await HttpIo.ReadBodyAsync(context, _state.Options.MaxBatchBodySize).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            await HttpIo.WriteProblemAsync(context, tooLarge).ConfigureAwait(false);
            return;
        }

        List<BatchItem> items;
        try
        {
            items = BatchRequestReader.Read(body!, HttpIo.Header(context.Request, SyncHeaderNames.ClientId), _state.Options.MaxBatchSize);
        }
        catch (JsonException e)
        {
            await HttpIo.WriteProblemAsync(context, SyncProblem.InvalidBody(e.Message)).ConfigureAwait(false);
            return;
        }

        if (await BatchAuthorization.CheckAsync(context, _state, items.Select(static i => i.Resource)).ConfigureAwait(false) is { } denied)
        {
            await HttpIo.WriteProblemAsync(context, denied).ConfigureAwait(false);
            return;
        }

        List<(BatchItem Item, MutationOutcome Outcome)> results = await _state.Store.WriteAsync(session =>
        {
            var scope = new BatchScope();
            var done = new List<(BatchItem, MutationOutcome)>(items.Count);
            foreach (BatchItem item in items)
            {
                MutationOutcome outcome = Apply(session, item, scope);
                done.Add((item, outcome));
                if (!outcome.IsSuccess)
                {
                    break;
                }
            }

            return done;
        }, context.RequestAborted).ConfigureAwait(false);

        await HttpIo.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            foreach ((BatchItem item, MutationOutcome outcome) in results)
            {
                WriteResult(writer, item, outcome);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    });

    private MutationOutcome Apply(Storage.WriteSession session, BatchItem item, BatchScope scope)
    {
        if (_state.Find(item.Resource) is not { } resource)
        {
            return MutationOutcome.Fail(SyncProblem.UnknownResource(item.Resource));
        }

        if (!HttpIo.TryParseIfMatch(item.BaseVersion, out long? baseVersion))
        {
            return MutationOutcome.Fail(SyncProblem.InvalidHeader($"baseVersion must be a version such as \"3\", not '{item.BaseVersion}'."));
        }

        var request = new MutationRequest(
            item.Kind,
            item.Kind == MutationKind.Create ? null : item.Key,
            item.Kind == MutationKind.Create ? item.OptimisticKey : null,
            item.ClientId,
            item.IdempotencyKey,
            baseVersion,
            item.Data);
        return _state.Processor.Apply(session, resource, request, scope);
    }

    private static void WriteResult(Utf8JsonWriter writer, BatchItem item, MutationOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WriteNumber("status", outcome.Status);
        if (outcome.Problem is { } problem)
        {
            writer.WritePropertyName("problem");
            problem.WriteTo(writer);
            writer.WriteEndObject();
            return;
        }

        writer.WriteString("key", outcome.Key ?? item.Key);
        if (outcome.OptimisticKey is { } optimistic)
        {
            writer.WriteString("optimisticKey", optimistic);
        }

        if (outcome.Version is long version)
        {
            writer.WriteString("version", version.ToString(CultureInfo.InvariantCulture));
        }

        if (outcome.Replayed)
        {
            writer.WriteBoolean("replayed", true);
        }

        if (outcome.Body is { } body && outcome.Status != StatusCodes.Status204NoContent)
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(body, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }
}
