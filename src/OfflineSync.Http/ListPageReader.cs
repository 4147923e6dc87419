using System.Text.Json;

namespace OfflineSync.Http;

/// <summary>Reads <c>{"items":[{"key","originOptimisticKey","originClientId","version","data"}],"seq":n,"hasMore":b}</c>.</summary>
internal static class ListPageReader
{
    /// <exception cref="JsonException">The body is not a list page.</exception>
    public static ListPage Read(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A list page must be a JSON object.");
        }

        List<ListItem>? items = null;
        long? sequence = null;
        bool hasMore = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "items":
                    items = ReadItems(ref reader, body);
                    break;
                case "seq":
                    sequence = reader.GetInt64();
                    break;
                case "hasMore":
                    hasMore = reader.GetBoolean();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || items is null || sequence is null)
        {
            throw new JsonException("The list page is truncated or lacks 'items' or 'seq'.");
        }

        return new ListPage(items, sequence.Value, hasMore);
    }

    private static List<ListItem> ReadItems(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("'items' must be an array.");
        }

        var items = new List<ListItem>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? key = null, origin = null, originClientId = null, version = null;
            ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
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
                    case "data": data = JsonFields.RawValue(ref reader, body); break;
                    default: reader.Skip(); break;
                }
            }

            items.Add(new ListItem(key ?? throw new JsonException("A list item has no key."), origin, version, data) { OriginClientId = originClientId });
        }

        return items;
    }
}
