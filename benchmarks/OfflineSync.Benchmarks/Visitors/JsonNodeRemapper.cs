using System.Text.Json;
using System.Text.Json.Nodes;
using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Visitors;

/// <summary>
/// What an app does without a generator: serialize the entity to a <see cref="JsonNode"/> tree, replace
/// every string found in the map, and read the entity back. It cannot tell a reference from free text
/// or one resource's keys from another's, so it also rewrites look-alike strings (S14 forbids that).
/// </summary>
internal static class JsonNodeRemapper
{
    /// <summary>Returns the remapped todo, or <paramref name="todo"/> itself when no string was in the map.</summary>
    public static Todo Remap(Todo todo, Dictionary<string, string> map)
    {
        JsonNode tree = JsonSerializer.SerializeToNode(todo, Todo.JsonTypeInfo)!;
        return Replace(tree, map) ? tree.Deserialize(Todo.JsonTypeInfo)! : todo;
    }

    private static bool Replace(JsonNode node, Dictionary<string, string> map)
    {
        bool changed = false;
        switch (node)
        {
            case JsonObject obj:
                for (int i = 0; i < obj.Count; i++)
                {
                    JsonNode? value = obj.GetAt(i).Value;
                    if (Mapped(value, map) is { } server)
                    {
                        obj.SetAt(i, server);
                        changed = true;
                    }
                    else if (value is not null)
                    {
                        changed |= Replace(value, map);
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    JsonNode? value = array[i];
                    if (Mapped(value, map) is { } server)
                    {
                        array[i] = server;
                        changed = true;
                    }
                    else if (value is not null)
                    {
                        changed |= Replace(value, map);
                    }
                }

                break;
        }

        return changed;
    }

    private static string? Mapped(JsonNode? node, Dictionary<string, string> map) =>
        node is JsonValue value && value.TryGetValue(out string? text) && map.TryGetValue(text, out string? server) ? server : null;
}
