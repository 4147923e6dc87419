using System.Text.Json;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>One item of <c>POST /sync/batch</c>; <see cref="ClientId"/> is the item's own <c>clientId</c>, if it has one.</summary>
internal sealed record BatchItem(string Resource, MutationKind Kind, string? Key, string? OptimisticKey, string? IdempotencyKey, string? BaseVersion, string? ClientId, ReadOnlyMemory<byte> Data);

/// <summary>
/// Reads <c>{"mutations":[{...}]}</c> with a <see cref="Utf8JsonReader"/>; each item's <c>data</c> stays a
/// slice of the request body, so entities are parsed once, by their own contract.
/// </summary>
internal static class BatchRequestReader
{
    private static readonly MutationKind[] Kinds = [MutationKind.Create, MutationKind.Update, MutationKind.Delete];

    /// <summary>Reads the batch and checks its items' tokens; the problem refuses the whole batch, before anything is applied.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="clientId">The request's client (<see cref="RequestIdentity"/>): every item's <c>clientId</c> must be absent or equal to it.</param>
    /// <param name="maxItems">The most items a batch may hold.</param>
    /// <param name="items">The items, when there is no problem.</param>
    public static SyncProblem? TryRead(byte[] body, string? clientId, int maxItems, out List<BatchItem> items)
    {
        try
        {
            items = Read(body, maxItems);
        }
        catch (JsonException e)
        {
            items = [];
            return SyncProblem.InvalidBody(e.Message);
        }

        for (int i = 0; i < items.Count; i++)
        {
            if (Check(items[i], i, clientId) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static SyncProblem? Check(BatchItem item, int index, string? clientId)
    {
        if (item.ClientId is { } itemClient && !string.Equals(itemClient, clientId, StringComparison.Ordinal))
        {
            // One request, one client: idempotency records and in-batch references are that client's.
            return SyncProblem.InvalidBody($"Mutation {index}: 'clientId' '{itemClient}' is not the request's X-Client-Id ('{clientId}'); a batch carries the mutations of one client.");
        }

        if (item.Key is { Length: > 0 } key && InputRules.CheckKey(key, $"Mutation {index}: 'key'") is { } badKey)
        {
            return badKey;
        }

        if (item.OptimisticKey is { Length: > 0 } optimistic && InputRules.CheckKey(optimistic, $"Mutation {index}: 'optimisticKey'") is { } badOptimistic)
        {
            return badOptimistic;
        }

        return item.IdempotencyKey is { } idempotencyKey ? InputRules.CheckIdempotencyKey(idempotencyKey, $"Mutation {index}: 'idempotencyKey'") : null;
    }

    /// <exception cref="JsonException">The body is not a valid batch.</exception>
    private static List<BatchItem> Read(byte[] body, int maxItems)
    {
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartObject);
        List<BatchItem>? items = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(SyncFieldNames.Mutations))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                items = new List<BatchItem>();
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    if (items.Count == maxItems)
                    {
                        throw new JsonException($"A batch holds at most {maxItems} mutations.");
                    }

                    items.Add(ReadItem(ref reader, body, items.Count));
                }

                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new JsonException("'mutations' must be an array of objects.");
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return items ?? throw new JsonException("The batch has no 'mutations' array.");
    }

    private static BatchItem ReadItem(ref Utf8JsonReader reader, byte[] body, int index)
    {
        string? resource = null, kind = null, key = null, optimisticKey = null, idempotencyKey = null, baseVersion = null, clientId = null;
        ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            Next(ref reader);
            switch (name)
            {
                case SyncFieldNames.Data:
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = body.AsMemory(start, (int)reader.BytesConsumed - start);
                    break;
                case SyncFieldNames.Resource: resource = ReadString(ref reader, name, index); break;
                case SyncFieldNames.Kind: kind = ReadString(ref reader, name, index); break;
                case SyncFieldNames.Key: key = ReadString(ref reader, name, index); break;
                case SyncFieldNames.OptimisticKey: optimisticKey = ReadString(ref reader, name, index); break;
                case SyncFieldNames.IdempotencyKey: idempotencyKey = ReadString(ref reader, name, index); break;
                case SyncFieldNames.BaseVersion: baseVersion = ReadString(ref reader, name, index); break;
                case SyncFieldNames.ClientId: clientId = ReadString(ref reader, name, index); break;
                default: reader.Skip(); break;
            }
        }

        int known = Array.FindIndex(Kinds, k => IdempotencyKeys.KindToken(k) == kind);
        if (known < 0)
        {
            throw new JsonException($"Mutation {index}: '{SyncFieldNames.Kind}' must be create, update or delete, not '{kind}'.");
        }

        MutationKind mutationKind = Kinds[known];
        if (string.IsNullOrEmpty(resource))
        {
            throw new JsonException($"Mutation {index}: 'resource' is required.");
        }

        if (mutationKind != MutationKind.Create && string.IsNullOrEmpty(key))
        {
            throw new JsonException($"Mutation {index}: 'key' is required for {kind}.");
        }

        return new BatchItem(resource, mutationKind, key, optimisticKey, idempotencyKey, baseVersion, clientId, data);
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name, int index) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Mutation {index}: '{name}' must be a string."),
    };

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"Expected {type} but found {reader.TokenType} at byte {reader.TokenStartIndex}.");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The batch JSON ends too early.");
}
