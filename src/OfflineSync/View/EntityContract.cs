using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync;

/// <summary>
/// A fingerprint of <typeparamref name="TEntity"/>'s JSON contract (property names and types, nested types
/// included), kept with a feed checkpoint. Rows a checkpoint keeps were written through the contract of the app
/// that wrote them: after an update that adds a property, rows kept from before would lack it for good, since the
/// feed only brings rows that change. A checkpoint of another contract is therefore not used: the set lists again.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal static class EntityContract<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    // Part of the fingerprint: a new way of keeping rows changes it, so old checkpoints are not read the new way.
    private const string CheckpointFormat = "offlinesync-checkpoint-1";

    /// <summary>Gets the fingerprint: 32 hexadecimal digits.</summary>
    public static string Fingerprint { get; } = Compute();

    private static string Compute()
    {
        var text = new StringBuilder(CheckpointFormat).Append('|').Append(TEntity.ResourceName).Append('|');
        Describe(TEntity.JsonTypeInfo, text, new HashSet<Type>());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16);
    }

    private static void Describe(JsonTypeInfo info, StringBuilder text, HashSet<Type> seen)
    {
        text.Append(info.Type.Namespace).Append('.').Append(info.Type.Name);
        if (!seen.Add(info.Type))
        {
            return; // Recursive types: described once.
        }

        text.Append('{');
        if (info.Kind == JsonTypeInfoKind.Object)
        {
            foreach (JsonPropertyInfo property in info.Properties)
            {
                text.Append(property.Name).Append(':');
                DescribeType(info, property.PropertyType, text, seen);
                text.Append(';');
            }
        }

        (Type? keyType, Type? elementType) = CollectionTypes(info);
        if (keyType is not null)
        {
            DescribeType(info, keyType, text, seen);
            text.Append("=>");
        }

        if (elementType is not null)
        {
            DescribeType(info, elementType, text, seen);
        }

        text.Append('}');
    }

#if NET9_0_OR_GREATER
    private static (Type? Key, Type? Element) CollectionTypes(JsonTypeInfo info) => (info.KeyType, info.ElementType);
#else
    // .NET 8's JsonTypeInfo does not say a collection's key and element types. The generic arguments tell them
    // for every collection an entity can hold (List<T>, HashSet<T>, Dictionary<K, V>, ImmutableArray<T>, T[]), and
    // a fingerprint only has to change when the contract does.
    private static (Type? Key, Type? Element) CollectionTypes(JsonTypeInfo info)
    {
        Type type = info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable when type.IsArray => (null, type.GetElementType()),
            JsonTypeInfoKind.Enumerable when type.IsGenericType => (null, type.GetGenericArguments()[^1]),
            JsonTypeInfoKind.Dictionary when type.IsGenericType && type.GetGenericArguments() is [Type key, Type value] => (key, value),
            _ => (null, null),
        };
    }
#endif

    private static void DescribeType(JsonTypeInfo owner, Type type, StringBuilder text, HashSet<Type> seen)
    {
        JsonTypeInfo? info;
        try
        {
            info = owner.Options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            info = null; // A resolver that does not describe it: its name still tells a change of type.
        }

        if (info is null)
        {
            text.Append(type.Namespace).Append('.').Append(type.Name);
            return;
        }

        Describe(info, text, seen);
    }
}
