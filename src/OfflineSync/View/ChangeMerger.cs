using System.Text.Json;
using System.Text.Json.Nodes;

namespace OfflineSync;

/// <summary>
/// Merges a <c>changed</c> event into the row the view holds: the event's top-level properties
/// replace the cached ones, properties the event lacks are kept.
/// </summary>
/// <remarks>
/// <para>
/// Navigation values. The model has no navigation attribute, so a navigation value is recognized
/// by convention in the entity's JSON contract: beside a reference property named <c>xxxId</c> the
/// property <c>xxx</c> (<c>categoryId</c> → <c>category</c>), and beside <c>xxxIds</c> the property
/// <c>xxxs</c> (<c>tagIds</c> → <c>tags</c>), holding an object or an array. When an event changes
/// the reference and does not bring that property, the cached navigation value no longer matches
/// the key and is set to <see langword="null"/>; when the event brings one, the event's value wins.
/// Properties outside the JSON contract (<c>[SyncIgnore]</c>, <c>[JsonIgnore]</c>) are not kept by a
/// merge, as by every other copy the engine makes.
/// </para>
/// </remarks>
internal static class ChangeMerger
{
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public static TEntity Merge<TEntity>(TEntity cached, ReadOnlyMemory<byte> changed, string key, string? version)
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (JsonNode.Parse(changed.Span) is not JsonObject incoming)
        {
            throw new JsonException($"A changed event for {TEntity.ResourceName} '{key}' does not hold a JSON object.");
        }

        JsonNode cachedNode = JsonSerializer.SerializeToNode(cached, TEntity.JsonTypeInfo)
            ?? throw new JsonException($"A {TEntity.ResourceName} item serialized to null.");
        var merged = new JsonObject(CaseInsensitive);
        foreach (KeyValuePair<string, JsonNode?> property in cachedNode.AsObject())
        {
            merged[property.Key] = property.Value?.DeepClone();
        }

        foreach (KeyValuePair<string, JsonNode?> property in incoming)
        {
            if (NavigationOf(property.Key) is string navigation
                && !JsonNode.DeepEquals(merged[property.Key], property.Value)
                && !incoming.ContainsKey(navigation)
                && merged[navigation] is JsonObject or JsonArray)
            {
                merged[navigation] = null;
            }

            merged[property.Key] = property.Value?.DeepClone();
        }

        TEntity entity = merged.Deserialize(TEntity.JsonTypeInfo)
            ?? throw new JsonException($"A merged {TEntity.ResourceName} item deserialized to null.");
        TEntity.SetKey(entity, key);
        if (version is not null)
        {
            TEntity.SetVersion(entity, version);
        }

        return entity;
    }

    /// <summary>Returns the name of the navigation value that goes with reference property <paramref name="name"/>, if it follows the convention.</summary>
    internal static string? NavigationOf(string name)
    {
        if (name.Length > 3 && name.EndsWith("Ids", StringComparison.OrdinalIgnoreCase))
        {
            return string.Concat(name.AsSpan(0, name.Length - 3), "s");
        }

        if (name.Length > 2 && name.EndsWith("Id", StringComparison.OrdinalIgnoreCase))
        {
            return name[..^2];
        }

        return null;
    }
}
