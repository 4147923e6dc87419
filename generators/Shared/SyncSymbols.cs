using Microsoft.CodeAnalysis;

namespace OfflineSync.Shared;

/// <summary>
/// The OfflineSync attributes and the BCL types the shared rules compare against, resolved once per
/// compilation. The generator and the analyzers each extend it with what only they need.
/// </summary>
internal class SyncSymbols
{
    public const string SyncableAttributeName = "OfflineSync.SyncableAttribute";
    public const string SyncClientAttributeName = "OfflineSync.SyncClientAttribute";
    public const string SyncIgnoreAttributeName = "OfflineSync.SyncIgnoreAttribute";
    public const string SyncableTypeAttributeName = "OfflineSync.SyncableTypeAttribute";
    public const string JsonSerializableAttributeName = "System.Text.Json.Serialization.JsonSerializableAttribute";

    public SyncSymbols(Compilation compilation)
    {
        Compilation = compilation;
        Syncable = compilation.GetTypeByMetadataName(SyncableAttributeName);
        References = compilation.GetTypeByMetadataName("OfflineSync.ReferencesAttribute");
        SyncKey = compilation.GetTypeByMetadataName("OfflineSync.SyncKeyAttribute");
        SyncVersion = compilation.GetTypeByMetadataName("OfflineSync.SyncVersionAttribute");
        SyncIgnore = compilation.GetTypeByMetadataName(SyncIgnoreAttributeName);
        SyncClient = compilation.GetTypeByMetadataName(SyncClientAttributeName);
        SyncableType = compilation.GetTypeByMetadataName(SyncableTypeAttributeName);
        SyncClientBase = compilation.GetTypeByMetadataName("OfflineSync.SyncClient");
        JsonSerializable = compilation.GetTypeByMetadataName(JsonSerializableAttributeName);
        JsonSerializerContext = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializerContext");
        JsonIgnore = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonIgnoreAttribute");
        JsonPropertyName = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonPropertyNameAttribute");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        IList = compilation.GetTypeByMetadataName("System.Collections.Generic.IList`1");
        HashSet = compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1");
        IReadOnlyList = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1");
        IReadOnlyCollection = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyCollection`1");
        ImmutableArray = compilation.GetTypeByMetadataName("System.Collections.Immutable.ImmutableArray`1");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? Syncable { get; }

    public INamedTypeSymbol? References { get; }

    public INamedTypeSymbol? SyncKey { get; }

    public INamedTypeSymbol? SyncVersion { get; }

    public INamedTypeSymbol? SyncIgnore { get; }

    public INamedTypeSymbol? SyncClient { get; }

    /// <summary>The assembly attribute listing an assembly's entities for the clients of other assemblies.</summary>
    public INamedTypeSymbol? SyncableType { get; }

    /// <summary>The base class the generator gives a <c>[SyncClient]</c>.</summary>
    public INamedTypeSymbol? SyncClientBase { get; }

    public INamedTypeSymbol? JsonSerializable { get; }

    public INamedTypeSymbol? JsonSerializerContext { get; }

    public INamedTypeSymbol? JsonIgnore { get; }

    public INamedTypeSymbol? JsonPropertyName { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? List { get; }

    public INamedTypeSymbol? IList { get; }

    public INamedTypeSymbol? HashSet { get; }

    public INamedTypeSymbol? IReadOnlyList { get; }

    public INamedTypeSymbol? IReadOnlyCollection { get; }

    public INamedTypeSymbol? ImmutableArray { get; }

    public static bool Is(ISymbol? symbol, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(symbol, expected);

    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType) => FindAttribute(symbol, attributeType) is not null;

    public AttributeData? GetSyncableAttribute(INamedTypeSymbol type) => FindAttribute(type, Syncable);

    public bool IsSyncable(ITypeSymbol? type) => type is INamedTypeSymbol named && GetSyncableAttribute(named) is not null;

    public bool IsAccessibleInAssembly(ISymbol symbol) => Compilation.IsSymbolAccessibleWithin(symbol, Compilation.Assembly);

    /// <summary>The resource name of an entity: <c>[Syncable("name")]</c>, or the default for its type name.</summary>
    public static string ResourceName(INamedTypeSymbol type, AttributeData syncable) =>
        syncable.ConstructorArguments.Length == 1 && syncable.ConstructorArguments[0].Value is string { Length: > 0 } explicitName
            ? explicitName
            : SyncNaming.DefaultResourceName(type.Name);
}
