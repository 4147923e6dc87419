using System.Globalization;
using System.Text.Json;
using OfflineSync.Http.Sse;

namespace OfflineSync.Http;

/// <summary>Reads the <c>data</c> of a feed event: <c>{"key","originOptimisticKey","originClientId","version","data"}</c>.</summary>
internal static class ChangeEventReader
{
    /// <exception cref="HttpRequestException">The event has no sequence id or its data is not the expected JSON.</exception>
    public static ChangeEvent Read(string resource, ChangeKind kind, in SseEvent sse, PushResultMapper mapper)
    {
        if (!long.TryParse(sse.Id, NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            throw new HttpRequestException($"A '{sse.Type}' event of the '{resource}' feed has no sequence id ('{sse.Id}').");
        }

        try
        {
            string? key = null, origin = null, originClientId = null, version = null;
            ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
            var reader = new Utf8JsonReader(sse.Data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The event data must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "key": key = JsonFields.StringOrNull(ref reader); break;
                    case "originOptimisticKey": origin = JsonFields.StringOrNull(ref reader); break;
                    case "originClientId": originClientId = JsonFields.StringOrNull(ref reader); break;
                    case "version": version = JsonFields.StringOrNull(ref reader); break;
                    case "data": data = JsonFields.RawValue(ref reader, sse.Data); break;
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
            throw new HttpRequestException($"A '{sse.Type}' event (id {sequence}) of the '{resource}' feed is malformed ({e.Message}): {mapper.Excerpt(sse.Data)}", e);
        }
    }
}
