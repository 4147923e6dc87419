using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync;

/// <summary>
/// The JSON contract of synced entities: camelCase names, <c>[SyncIgnore]</c> members left out,
/// <see langword="null"/> written. Generated <c>JsonTypeInfo</c> members come from here.
/// </summary>
public static class SyncJson
{
    /// <summary>Gets the serializer options used for entities, patch values and server states.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Gets the contract of <typeparamref name="T"/>.</summary>
    public static JsonTypeInfo<T> GetTypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>Serializes <paramref name="value"/> to UTF-8 JSON.</summary>
    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, GetTypeInfo<T>());

    /// <summary>Deserializes UTF-8 JSON.</summary>
    /// <exception cref="JsonException">The JSON is invalid or is <c>null</c>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, GetTypeInfo<T>()) ?? throw new JsonException($"Expected a {typeof(T).Name} but the JSON was null.");

    /// <summary>Returns a deep copy of <paramref name="value"/> made through its JSON contract.</summary>
    public static T Clone<T>(T value) => Deserialize<T>(SerializeToUtf8Bytes(value));

    /// <summary>Returns whether two values have the same JSON form; used by generated <c>Diff</c> for non-scalar properties.</summary>
    public static bool JsonEquals<T>(T left, T right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        return SerializeToUtf8Bytes(left).AsSpan().SequenceEqual(SerializeToUtf8Bytes(right));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(static typeInfo =>
        {
            if (typeInfo.Kind != JsonTypeInfoKind.Object)
            {
                return;
            }

            for (int i = typeInfo.Properties.Count - 1; i >= 0; i--)
            {
                if (typeInfo.Properties[i].AttributeProvider?.IsDefined(typeof(SyncIgnoreAttribute), inherit: true) == true)
                {
                    typeInfo.Properties.RemoveAt(i);
                }
            }
        });

        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = resolver,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly();
        return options;
    }
}
