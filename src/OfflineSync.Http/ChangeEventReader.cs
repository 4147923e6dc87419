using System.Globalization;
using System.Text.Json;
using OfflineSync.Protocol;

namespace OfflineSync.Http;

/// <summary>Reads the <c>data</c> of a feed event: <c>{"key","originOptimisticKey","originClientId","version","data"}</c>.</summary>
internal static class ChangeEventReader
{
    /// <summary>Reads one event as <see cref="System.Net.ServerSentEvents.SseParser"/> dispatches it.</summary>
    /// <param name="resource">The feed's resource.</param>
    /// <param name="kind">The kind the event's name stands for.</param>
    /// <param name="id">The event's id (the last one in effect: ids persist across events).</param>
    /// <param name="json">The event's <c>data</c>, valid only during the call: the row is copied out of it.</param>
    /// <param name="mapper">Quotes an excerpt in errors.</param>
    /// <exception cref="HttpRequestException">The event has no sequence id or its data is not the expected JSON.</exception>
    public static ChangeEvent Read(string resource, ChangeKind kind, string? id, ReadOnlySpan<byte> json, PushResultMapper mapper)
    {
        string name = SyncEventNames.NameOf(kind);
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            throw new HttpRequestException($"A '{name}' event of the '{resource}' feed has no sequence id ('{id}').");
        }

        try
        {
            string? key = null, origin = null, originClientId = null, version = null;
            ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The event data must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string field = reader.GetString()!;
                reader.Read();
                switch (field)
                {
                    case "key": key = JsonFields.StringOrNull(ref reader); break;
                    case SyncFieldNames.OriginOptimisticKey: origin = JsonFields.StringOrNull(ref reader); break;
                    case SyncFieldNames.OriginClientId: originClientId = JsonFields.StringOrNull(ref reader); break;
                    case "version": version = JsonFields.StringOrNull(ref reader); break;
                    case "data": data = RawValue(ref reader, json); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new JsonException("The event data is truncated.");
            }

            if (kind != ChangeKind.Invalidate && key is null)
            {
                throw new JsonException("The event has no key.");
            }

            if (kind is ChangeKind.Existing or ChangeKind.Added or ChangeKind.Changed && data.IsEmpty)
            {
                throw new JsonException("The event has no row data.");
            }

            return new ChangeEvent(resource, kind, sequence, key, origin, version, data) { OriginClientId = originClientId };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new HttpRequestException($"A '{name}' event (id {sequence}) of the '{resource}' feed is malformed ({e.Message}): {mapper.Excerpt(json)}", e);
        }
    }

    /// <summary>Copies the current value out of the parser's buffer, which the next event reuses; <see langword="null"/> is empty.</summary>
    private static ReadOnlyMemory<byte> RawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return source[start..(int)reader.BytesConsumed].ToArray();
    }
}
