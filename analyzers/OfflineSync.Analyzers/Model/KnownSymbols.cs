using Microsoft.CodeAnalysis;

namespace OfflineSync.Analyzers.Model;

/// <summary>The OfflineSync and BCL types the rules look for, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation, INamedTypeSymbol syncable, INamedTypeSymbol references)
    {
        Compilation = compilation;
        Syncable = syncable;
        References = references;
        SyncKey = compilation.GetTypeByMetadataName("OfflineSync.SyncKeyAttribute");
        SyncIgnore = compilation.GetTypeByMetadataName("OfflineSync.SyncIgnoreAttribute");
        List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        IList = compilation.GetTypeByMetadataName("System.Collections.Generic.IList`1");
        HashSet = compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1");
        IEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1");
        IDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IDictionary`2");
        IReadOnlyDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2");
        NonGenericDictionary = compilation.GetTypeByMetadataName("System.Collections.IDictionary");
        NonGenericEnumerable = compilation.GetTypeByMetadataName("System.Collections.IEnumerable");
        ReadOnlyCollections = new[]
        {
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyCollection`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlySet`1"),
            compilation.GetTypeByMetadataName("System.Collections.ObjectModel.ReadOnlyCollection`1"),
            compilation.GetTypeByMetadataName("System.Collections.Frozen.FrozenSet`1"),
        };
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol Syncable { get; }

    public INamedTypeSymbol References { get; }

    public INamedTypeSymbol? SyncKey { get; }

    public INamedTypeSymbol? SyncIgnore { get; }

    public INamedTypeSymbol? List { get; }

    public INamedTypeSymbol? IList { get; }

    public INamedTypeSymbol? HashSet { get; }

    public INamedTypeSymbol? IEnumerable { get; }

    public INamedTypeSymbol? IDictionary { get; }

    public INamedTypeSymbol? IReadOnlyDictionary { get; }

    public INamedTypeSymbol? NonGenericDictionary { get; }

    public INamedTypeSymbol? NonGenericEnumerable { get; }

    public INamedTypeSymbol?[] ReadOnlyCollections { get; }

    /// <summary>Resolves the symbols, or returns null when the compilation does not reference OfflineSync.</summary>
    public static KnownSymbols? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? syncable = compilation.GetTypeByMetadataName("OfflineSync.SyncableAttribute");
        INamedTypeSymbol? references = compilation.GetTypeByMetadataName("OfflineSync.ReferencesAttribute");
        return syncable is null || references is null ? null : new KnownSymbols(compilation, syncable, references);
    }

    public bool IsSyncable(ITypeSymbol? type) => type is INamedTypeSymbol named && GetSyncableAttribute(named) is not null;

    public AttributeData? GetSyncableAttribute(INamedTypeSymbol type) => Find(type.GetAttributes(), Syncable);

    public AttributeData? GetReferencesAttribute(ISymbol member) => Find(member.GetAttributes(), References);

    public bool HasSyncKey(ISymbol member) => SyncKey is not null && Find(member.GetAttributes(), SyncKey) is not null;

    public bool HasSyncIgnore(ISymbol member) => SyncIgnore is not null && Find(member.GetAttributes(), SyncIgnore) is not null;

    private static AttributeData? Find(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, INamedTypeSymbol attributeType)
    {
        foreach (AttributeData attribute in attributes)
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }
}
