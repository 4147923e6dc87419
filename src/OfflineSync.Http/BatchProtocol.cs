using System.Buffers;
using System.Text.Json;

namespace OfflineSync.Http;

/// <summary>Writes <c>POST /sync/batch</c> bodies and reads their per-item results (docs/protocol.md, "Batch").</summary>
internal static class BatchProtocol
{
    /// <summary>Writes the batch body. Payloads are copied in as raw JSON, validated, so a broken one fails here and not on the server.</summary>
    /// <exception cref="JsonException">A payload is not valid JSON; <see cref="JsonException.BytePositionInLine"/> is unused, the message names the mutation.</exception>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<OutgoingMutation> batch, int count)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteStartArray("mutations");
        for (int i = 0; i < count; i++)
        {
            OutgoingMutation mutation = batch[i];
            writer.WriteStartObject();
            writer.WriteString("resource", mutation.Resource);
            writer.WriteString("kind", IdempotencyKeys.KindToken(mutation.Kind));
            writer.WriteString("key", mutation.Key);
            if (mutation.OptimisticKey is not null)
            {
                writer.WriteString("optimisticKey", mutation.OptimisticKey);
            }

            writer.WriteString("idempotencyKey", mutation.IdempotencyKey);
            if (mutation.BaseVersion is not null)
            {
                writer.WriteString("baseVersion", mutation.BaseVersion);
            }

            writer.WriteString("clientId", mutation.ClientId);
            if (mutation.Kind != MutationKind.Delete && !mutation.Payload.IsEmpty)
            {
                writer.WritePropertyName("data");
                writer.WriteRawValue(mutation.Payload.Span);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>{"results":[...]}</c>; each item's data stays a slice of <paramref name="body"/>.</summary>
    /// <exception cref="JsonException">The body is not a batch answer.</exception>
    public static List<ServerAnswer> ReadResults(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A batch answer must be a JSON object.");
        }

        List<ServerAnswer>? results = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isResults = reader.ValueTextEquals("results");
            reader.Read();
            if (!isResults)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("'results' must be an array.");
            }

            results = new List<ServerAnswer>();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                results.Add(ReadItem(ref reader, body));
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("'results' must hold only objects.");
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || results is null)
        {
            throw new JsonException("The batch answer has no complete 'results' array.");
        }

        return results;
    }

    private static ServerAnswer ReadItem(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        int status = 0;
        string? key = null, version = null;
        ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
        ProblemInfo? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "status": status = reader.GetInt32(); break;
                case "key": key = JsonFields.StringOrNull(ref reader); break;
                case "version": version = JsonFields.StringOrNull(ref reader); break;
                case "data": data = JsonFields.RawValue(ref reader, body); break;
                case "problem": problem = ProblemInfo.Read(ref reader, body); break;
                default: reader.Skip(); break;
            }
        }

        if (status is < 100 or > 599)
        {
            throw new JsonException($"A batch result has no valid status ({status}).");
        }

        return new ServerAnswer(status, key, version, data, problem, null);
    }
}
