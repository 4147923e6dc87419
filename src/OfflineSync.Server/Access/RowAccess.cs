using System.Buffers;
using System.Text.Json;

namespace OfflineSync.Server.Access;

/// <summary>
/// Who may read a row of a resource with a row policy, stored with the row (<c>rows.access</c>, JSON) so that every
/// read, and every feed, decides from the row alone: its owner, the access keys it is readable under now
/// (<see cref="Readers"/>, also indexed for lists), the keys it was readable under before its last change
/// (<see cref="Before"/>: a reader who gains it gets <c>added</c>) and every key it was ever readable under
/// (<see cref="Ever"/>: a reader who loses it gets <c>removed</c>, however many changes the log compacted).
/// </summary>
/// <remarks>A row of a resource without a policy has no access (<see langword="null"/>) and is readable by every caller.</remarks>
internal sealed record RowAccess(string? Owner, string[] Readers, string[] Before, string[] Ever)
{
    /// <summary>The access of a new row.</summary>
    public static RowAccess Created(string? owner, IEnumerable<string> readers)
    {
        string[] keys = Normalize(readers);
        return new RowAccess(owner, keys, [], keys);
    }

    /// <summary>The access after a change that leaves the row readable under <paramref name="readers"/> (none once deleted).</summary>
    public RowAccess Then(IEnumerable<string> readers)
    {
        string[] keys = Normalize(readers);
        return new RowAccess(Owner, keys, Readers, Normalize(Ever.Concat(keys)));
    }

    /// <summary>Whether a reader holding <paramref name="keys"/> may read the row now.</summary>
    public bool ReadableBy(IReadOnlyCollection<string> keys) => Meets(Readers, keys);

    /// <summary>Whether a reader holding <paramref name="keys"/> could read the row before its last change.</summary>
    public bool WasReadableBy(IReadOnlyCollection<string> keys) => Meets(Before, keys);

    /// <summary>Whether a reader holding <paramref name="keys"/> could ever read the row, so may hold it.</summary>
    public bool EverReadableBy(IReadOnlyCollection<string> keys) => Meets(Ever, keys);

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Owner is not null)
            {
                writer.WriteString("owner", Owner);
            }

            WriteArray(writer, "readers", Readers);
            WriteArray(writer, "before", Before);
            WriteArray(writer, "ever", Ever);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; <see langword="null"/> for a row without access.</summary>
    public static RowAccess? FromJson(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new RowAccess(
            root.TryGetProperty("owner", out JsonElement owner) ? owner.GetString() : null,
            ReadArray(root, "readers"),
            ReadArray(root, "before"),
            ReadArray(root, "ever"));
    }

    /// <summary>Distinct and sorted: equal sets store equal text.</summary>
    private static string[] Normalize(IEnumerable<string> keys) => keys.Where(static k => k is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static bool Meets(string[] row, IReadOnlyCollection<string> keys)
    {
        foreach (string key in row)
        {
            if (keys.Contains(key, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, string[] values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string[] ReadArray(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement array) ? array.EnumerateArray().Select(static e => e.GetString()!).ToArray() : [];
}

/// <summary>The JSON contract of the string arrays the stores pass as one parameter (a reader's access keys).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class AccessJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
