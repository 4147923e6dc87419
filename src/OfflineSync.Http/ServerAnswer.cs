using System.Text;
using System.Text.Json;
using OfflineSync.Protocol;

namespace OfflineSync.Http;

/// <summary>
/// The server's answer to one mutation, from a single response or a batch item, before it becomes a
/// <see cref="PushResult"/>. Keeps the raw body so an unexpected answer can be quoted.
/// </summary>
internal readonly record struct ServerAnswer(int Status, string? Key, string? Version, ReadOnlyMemory<byte> Data, ProblemInfo? Problem, TimeSpan? RetryAfter);

/// <summary>The fields of an RFC 9457 problem the client uses.</summary>
internal sealed record ProblemInfo(string? Type, string? Title, string? Detail, string? Version, ReadOnlyMemory<byte> Current)
{
    /// <summary>Gets, for a batch refused whole, the index of the mutation it was refused for (<see cref="SyncFieldNames.Mutation"/>).</summary>
    public int? Mutation { get; init; }

    public string Describe(int status)
    {
        var text = new StringBuilder();
        text.Append(Title ?? $"HTTP {status}");
        if (Type is not null)
        {
            text.Append(" (").Append(Type).Append(')');
        }

        if (Detail is not null)
        {
            text.Append(": ").Append(Detail);
        }

        return text.ToString();
    }

    /// <summary>Reads a problem object; the reader is on its <c>StartObject</c>.</summary>
    public static ProblemInfo Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A problem must be a JSON object.");
        }

        string? type = null, title = null, detail = null, version = null;
        ReadOnlyMemory<byte> current = ReadOnlyMemory<byte>.Empty;
        int? mutation = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "type": type = JsonFields.StringOrNull(ref reader); break;
                case "title": title = JsonFields.StringOrNull(ref reader); break;
                case "detail": detail = JsonFields.StringOrNull(ref reader); break;
                case "version": version = JsonFields.StringOrNull(ref reader); break;
                case "current": current = JsonFields.RawValue(ref reader, source); break;
                case SyncFieldNames.Mutation: mutation = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index) && index >= 0 ? index : null; break;
                default: reader.Skip(); break;
            }
        }

        return new ProblemInfo(type, title, detail, version, current) { Mutation = mutation };
    }
}

/// <summary>Small helpers over <see cref="Utf8JsonReader"/> shared by the answer readers.</summary>
internal static class JsonFields
{
    public static string? StringOrNull(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException($"Expected a string but found {reader.TokenType}."),
    };

    /// <summary>Returns the current value as a slice of <paramref name="source"/> (no copy); the reader ends on its last token.</summary>
    public static ReadOnlyMemory<byte> RawValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return source.Slice(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Returns whether <paramref name="json"/> is exactly one complete JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
