using System.Text.Json;

namespace OfflineSync.Server.Endpoints;

/// <summary>One item of <c>POST /sync/batch</c>.</summary>
internal sealed record BatchItem(string Resource, MutationKind Kind, string? Key, string? OptimisticKey, string? IdempotencyKey, string? BaseVersion, string? ClientId, ReadOnlyMemory<byte> Data);

/// <summary>
/// Reads <c>{"mutations":[{...}]}</c> with a <see cref="Utf8JsonReader"/>; each item's <c>data</c> stays a
/// slice of the request body, so entities are parsed once, by their own contract.
/// </summary>
internal static class BatchRequestReader
{
    /// <exception cref="JsonException">The body is not a valid batch.</exception>
    public static List<BatchItem> Read(byte[] body, string? defaultClientId, int maxItems)
    {
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartObject);
        List<BatchItem>? items = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("mutations"))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                items = new List<BatchItem>();
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    if (items.Count == maxItems)
                    {
                        throw new JsonException($"A batch holds at most {maxItems} mutations.");
                    }

                    items.Add(ReadItem(ref reader, body, defaultClientId, items.Count));
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

    private static BatchItem ReadItem(ref Utf8JsonReader reader, byte[] body, string? defaultClientId, int index)
    {
        string? resource = null, kind = null, key = null, optimisticKey = null, idempotencyKey = null, baseVersion = null, clientId = null;
        ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            Next(ref reader);
            switch (name)
            {
                case "data":
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = body.AsMemory(start, (int)reader.BytesConsumed - start);
                    break;
                case "resource": resource = ReadString(ref reader, name, index); break;
                case "kind": kind = ReadString(ref reader, name, index); break;
                case "key": key = ReadString(ref reader, name, index); break;
                case "optimisticKey": optimisticKey = ReadString(ref reader, name, index); break;
                case "idempotencyKey": idempotencyKey = ReadString(ref reader, name, index); break;
                case "baseVersion": baseVersion = ReadString(ref reader, name, index); break;
                case "clientId": clientId = ReadString(ref reader, name, index); break;
                default: reader.Skip(); break;
            }
        }

        MutationKind mutationKind = kind switch
        {
            "create" => MutationKind.Create,
            "update" => MutationKind.Update,
            "delete" => MutationKind.Delete,
            _ => throw new JsonException($"Mutation {index}: 'kind' must be create, update or delete, not '{kind}'."),
        };
        if (string.IsNullOrEmpty(resource))
        {
            throw new JsonException($"Mutation {index}: 'resource' is required.");
        }

        if (mutationKind != MutationKind.Create && string.IsNullOrEmpty(key))
        {
            throw new JsonException($"Mutation {index}: 'key' is required for {kind}.");
        }

        return new BatchItem(resource, mutationKind, key, optimisticKey, idempotencyKey, baseVersion, clientId ?? defaultClientId, data);
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
