using Microsoft.CodeAnalysis;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers.Model;

/// <summary>The OfflineSync and BCL types the rules look for, resolved once per compilation: the shared ones and those only diagnosis needs.</summary>
internal sealed class KnownSymbols : SyncSymbols
{
    private KnownSymbols(Compilation compilation)
        : base(compilation)
    {
        IEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1");
        IDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IDictionary`2");
        IReadOnlyDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2");
        NonGenericDictionary = compilation.GetTypeByMetadataName("System.Collections.IDictionary");
        NonGenericEnumerable = compilation.GetTypeByMetadataName("System.Collections.IEnumerable");
        OtherReadOnlyCollections = new[]
        {
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlySet`1"),
            compilation.GetTypeByMetadataName("System.Collections.ObjectModel.ReadOnlyCollection`1"),
            compilation.GetTypeByMetadataName("System.Collections.Frozen.FrozenSet`1"),
        };
    }

    public INamedTypeSymbol? IEnumerable { get; }

    public INamedTypeSymbol? IDictionary { get; }

    public INamedTypeSymbol? IReadOnlyDictionary { get; }

    public INamedTypeSymbol? NonGenericDictionary { get; }

    public INamedTypeSymbol? NonGenericEnumerable { get; }

    /// <summary>Read-only collections the generated code does not rebuild (it rebuilds IReadOnlyList, IReadOnlyCollection and ImmutableArray).</summary>
    public INamedTypeSymbol?[] OtherReadOnlyCollections { get; }

    /// <summary>Resolves the symbols, or returns null when the compilation does not reference OfflineSync.</summary>
    public static KnownSymbols? TryCreate(Compilation compilation)
    {
        var known = new KnownSymbols(compilation);
        return known.Syncable is null || known.References is null ? null : known;
    }

    public AttributeData? GetReferencesAttribute(ISymbol member) => FindAttribute(member, References);

    public bool HasSyncKey(ISymbol member) => HasAttribute(member, SyncKey);

    public bool HasSyncClient(INamedTypeSymbol type) => HasAttribute(type, SyncClient);

    public bool HasSyncIgnore(ISymbol member) => HasAttribute(member, SyncIgnore);
}
