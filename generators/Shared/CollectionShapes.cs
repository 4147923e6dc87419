using Microsoft.CodeAnalysis;

namespace OfflineSync.Shared;

/// <summary>The collections the generated visitor walks.</summary>
internal enum CollectionKind
{
    None,

    /// <summary><c>List&lt;T&gt;</c>, written in place through its span.</summary>
    List,

    /// <summary>A single-dimension array, written in place.</summary>
    Array,

    /// <summary><c>IList&lt;T&gt;</c>, written through its indexer.</summary>
    IList,

    /// <summary><c>HashSet&lt;T&gt;</c>, refilled when a key changes.</summary>
    HashSet,

    /// <summary><c>IReadOnlyList&lt;T&gt;</c>: keys are read by index and, when one changes, the member gets a new array.</summary>
    ReadOnlyList,

    /// <summary><c>IReadOnlyCollection&lt;T&gt;</c>: as <see cref="ReadOnlyList"/> (enumerated when it is not a list).</summary>
    ReadOnlyCollection,

    /// <summary><c>ImmutableArray&lt;T&gt;</c>: when a key changes, the member gets a new immutable array.</summary>
    ImmutableArray,
}

/// <summary>Recognizes the collections of reference slots (DESIGN §2), for the generator and the analyzers alike.</summary>
internal static class CollectionShapes
{
    public static (CollectionKind Kind, ITypeSymbol? Element) Classify(ITypeSymbol type, SyncSymbols symbols)
    {
        if (type is IArrayTypeSymbol { IsSZArray: true } array)
        {
            return (CollectionKind.Array, array.ElementType);
        }

        if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic)
        {
            return (CollectionKind.None, null);
        }

        INamedTypeSymbol definition = generic.OriginalDefinition;
        CollectionKind kind =
            SyncSymbols.Is(definition, symbols.List) ? CollectionKind.List
            : SyncSymbols.Is(definition, symbols.IList) ? CollectionKind.IList
            : SyncSymbols.Is(definition, symbols.HashSet) ? CollectionKind.HashSet
            : SyncSymbols.Is(definition, symbols.IReadOnlyList) ? CollectionKind.ReadOnlyList
            : SyncSymbols.Is(definition, symbols.IReadOnlyCollection) ? CollectionKind.ReadOnlyCollection
            : SyncSymbols.Is(definition, symbols.ImmutableArray) ? CollectionKind.ImmutableArray
            : CollectionKind.None;
        return kind == CollectionKind.None ? (kind, null) : (kind, generic.TypeArguments[0]);
    }

    /// <summary>
    /// Whether the collection is replaced rather than written in place: the member holding it must then be
    /// writable (a setter, a private setter, or <c>init</c> in a record), like a single key.
    /// </summary>
    public static bool IsReplaced(CollectionKind kind) =>
        kind is CollectionKind.ReadOnlyList or CollectionKind.ReadOnlyCollection or CollectionKind.ImmutableArray;
}
