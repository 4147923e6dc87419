using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync;

/// <summary>
/// The JSON contract of synced entities: camelCase names, <c>[SyncIgnore]</c> members left out,
/// <see langword="null"/> written. The generated <c>JsonTypeInfo</c> of an entity comes from here.
/// </summary>
/// <remarks>
/// <para>
/// An entity listed in a <see cref="JsonSerializerContext"/> of its own project
/// (<c>[JsonSerializable(typeof(Todo))]</c>) takes its metadata from that context under this contract
/// (<see cref="CreateTypeInfo{T}"/>): no reflection, safe for trimming and Native AOT. The context's own
/// <c>[JsonSourceGenerationOptions]</c> do not apply; converters given with <c>[JsonConverter]</c> on types and
/// properties do.
/// </para>
/// <para>
/// Any other entity is described through reflection (<see cref="GetReflectionTypeInfo{T}"/>), which
/// System.Text.Json allows only while <see cref="JsonSerializer.IsReflectionEnabledByDefault"/> is on: trimmed
/// and Native AOT apps turn it off, and the analyzers report such an entity (OSYNC010).
/// </para>
/// </remarks>
public static class SyncJson
{
    private const string ReflectionMessage =
        "Describes types through reflection, which trimming and Native AOT do not support: list the type in a JsonSerializerContext instead.";

    private static JsonSerializerOptions? s_reflectionOptions;

    /// <summary>Gets the options of the reflection-based contract, for types no <see cref="JsonSerializerContext"/> describes.</summary>
    public static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode(ReflectionMessage)]
        [RequiresDynamicCode(ReflectionMessage)]
        get => s_reflectionOptions ??= CreateOptions(CreateReflectionResolver());
    }

    /// <summary>
    /// Builds the contract of <typeparamref name="T"/> from source-generated metadata: OfflineSync's options
    /// over <paramref name="metadata"/>, with <paramref name="modifier"/> applied to every object contract
    /// (generated code passes one that removes the <c>[SyncIgnore]</c> members).
    /// </summary>
    /// <param name="metadata">A <see cref="JsonSerializerContext"/> that lists <typeparamref name="T"/>.</param>
    /// <param name="modifier">Changes each contract the options build, or <see langword="null"/>.</param>
    /// <exception cref="SyncModelException"><paramref name="metadata"/> does not describe <typeparamref name="T"/>.</exception>
    public static JsonTypeInfo<T> CreateTypeInfo<T>(IJsonTypeInfoResolver metadata, Action<JsonTypeInfo>? modifier)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        IJsonTypeInfoResolver resolver = modifier is null ? metadata : metadata.WithAddedModifier(modifier);
        JsonSerializerOptions options = CreateOptions(resolver);
        try
        {
            return GetTypeInfo<T>(options);
        }
        catch (NotSupportedException exception)
        {
            throw new SyncModelException($"The JSON metadata {metadata.GetType().Name} does not describe {typeof(T).Name}: add [JsonSerializable(typeof({typeof(T).Name}))] to it.", exception);
        }
    }

    /// <summary>
    /// Gets the reflection-based contract of <typeparamref name="T"/>, for an entity no
    /// <see cref="JsonSerializerContext"/> of its project lists.
    /// </summary>
    /// <exception cref="SyncModelException">
    /// Reflection-based serialization is disabled (<see cref="JsonSerializer.IsReflectionEnabledByDefault"/> is off,
    /// as in trimmed and Native AOT apps).
    /// </exception>
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = "Reached only while JsonSerializer.IsReflectionEnabledByDefault is on. Trimmed and Native AOT apps turn that feature switch off, and the trimmer removes the branch; OSYNC010 reports the entity at build time.")]
    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode", Justification = "Reached only while JsonSerializer.IsReflectionEnabledByDefault is on, which Native AOT apps turn off.")]
    public static JsonTypeInfo<T> GetReflectionTypeInfo<T>()
    {
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            return GetTypeInfo<T>();
        }

        throw new SyncModelException(
            $"{typeof(T).Name} has no JSON metadata: no JsonSerializerContext of its project lists it, and reflection-based JSON is disabled "
            + $"(a trimmed or Native AOT app, or JsonSerializerIsReflectionEnabledByDefault=false). Add [JsonSerializable(typeof({typeof(T).Name}))] "
            + $"to a JsonSerializerContext in the project that declares {typeof(T).Name} (OSYNC010).");
    }

    /// <summary>Gets the contract of <typeparamref name="T"/> from <paramref name="options"/>, typed.</summary>
    /// <exception cref="NotSupportedException">The options' resolver does not describe <typeparamref name="T"/>.</exception>
    public static JsonTypeInfo<T> GetTypeInfo<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary>Removes the property with the JSON name <paramref name="name"/> from an object contract, if it has one.</summary>
    public static void RemoveProperty(JsonTypeInfo typeInfo, string name)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (int i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (string.Equals(typeInfo.Properties[i].Name, name, StringComparison.Ordinal))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }

    /// <summary>Returns a deep copy of <paramref name="value"/> made through its JSON contract.</summary>
    /// <exception cref="JsonException">The value serialized to <c>null</c>.</exception>
    public static T Clone<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), typeInfo)
            ?? throw new JsonException($"Expected a {typeof(T).Name} but the JSON was null.");
    }

    /// <summary>Returns whether two values have the same JSON form; used by generated <c>Diff</c> for non-scalar properties.</summary>
    public static bool JsonEquals<T>(T left, T right, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        return JsonSerializer.SerializeToUtf8Bytes(left, typeInfo).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(right, typeInfo));
    }

    /// <summary>Gets the reflection-based contract of <typeparamref name="T"/>.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static JsonTypeInfo<T> GetTypeInfo<T>() => GetTypeInfo<T>(Options);

    /// <summary>Serializes <paramref name="value"/> to UTF-8 JSON through the reflection-based contract.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, GetTypeInfo<T>());

    /// <summary>Deserializes UTF-8 JSON through the reflection-based contract.</summary>
    /// <exception cref="JsonException">The JSON is invalid or is <c>null</c>.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, GetTypeInfo<T>()) ?? throw new JsonException($"Expected a {typeof(T).Name} but the JSON was null.");

    /// <summary>Returns a deep copy of <paramref name="value"/> made through the reflection-based contract.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static T Clone<T>(T value) => Clone(value, GetTypeInfo<T>());

    /// <summary>Returns whether two values have the same JSON form under the reflection-based contract.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static bool JsonEquals<T>(T left, T right) => JsonEquals(left, right, GetTypeInfo<T>());

    /// <summary>The contract's options: web defaults (camelCase, numbers read from strings too), nulls written.</summary>
    private static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver resolver)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = resolver,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly();
        return options;
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static DefaultJsonTypeInfoResolver CreateReflectionResolver()
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
        return resolver;
    }
}
