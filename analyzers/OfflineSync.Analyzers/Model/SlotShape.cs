using Microsoft.CodeAnalysis;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers.Model;

/// <summary>How a member's type holds keys (or nested objects), as far as the generated visitor is concerned.</summary>
internal enum SlotKind
{
    /// <summary>A single value of <see cref="SlotShape.Element"/>: a key, or a nested object.</summary>
    Single,

    /// <summary><c>Nullable&lt;T&gt;</c> of a value type.</summary>
    Nullable,

    /// <summary><c>List&lt;T&gt;</c>, written in place through its span.</summary>
    List,

    /// <summary>A single-dimension array, written in place.</summary>
    Array,

    /// <summary><c>IList&lt;T&gt;</c>, written through its indexer.</summary>
    IList,

    /// <summary><c>HashSet&lt;T&gt;</c>, rebuilt when a key changes.</summary>
    HashSet,

    /// <summary>
    /// <c>IReadOnlyList&lt;T&gt;</c>, <c>IReadOnlyCollection&lt;T&gt;</c> or <c>ImmutableArray&lt;T&gt;</c> of keys: the generated
    /// code replaces it when a key changes, so the member holding it must be writable.
    /// </summary>
    Replaced,

    /// <summary>Another read-only collection (<c>IReadOnlySet&lt;T&gt;</c>, <c>ImmutableList&lt;T&gt;</c>, …): its elements can be read but never written back.</summary>
    ReadOnlyCollection,

    /// <summary>Something the visitor cannot see into: object, dynamic, an interface, a dictionary, another enumerable.</summary>
    Unwalkable,
}

/// <summary>The classified shape of a member type: its kind and the element it holds.</summary>
internal readonly struct SlotShape
{
    private SlotShape(SlotKind kind, ITypeSymbol element, string? containerName)
    {
        Kind = kind;
        Element = element;
        ContainerName = containerName;
    }

    public SlotKind Kind { get; }

    /// <summary>The held value type: the key or nested type itself, the nullable's underlying type, or the collection element.</summary>
    public ITypeSymbol Element { get; }

    /// <summary>For unwalkable shapes, how to name the container in a message ("object", "a dictionary", ...).</summary>
    public string? ContainerName { get; }

    /// <summary>Names an unwalkable container in a message: "object", or "a dictionary (Dictionary&lt;string, string&gt;)".</summary>
    public string DescribeContainer(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic
            ? ContainerName!
            : $"{ContainerName} ({SymbolText.Display(type)})";

    public static SlotShape Classify(ITypeSymbol type, KnownSymbols known)
    {
        if (type.SpecialType == SpecialType.System_Object)
        {
            return new SlotShape(SlotKind.Unwalkable, type, "object");
        }

        if (type.TypeKind == TypeKind.Dynamic)
        {
            return new SlotShape(SlotKind.Unwalkable, type, "dynamic");
        }

        if (type is IArrayTypeSymbol array)
        {
            return array.IsSZArray
                ? new SlotShape(SlotKind.Array, array.ElementType, null)
                : new SlotShape(SlotKind.Unwalkable, type, "a multi-dimensional array");
        }

        // string is an IEnumerable<char>: decide it (and the primitive value types) before looking at interfaces.
        if (type.SpecialType == SpecialType.System_String || (type.IsValueType && type.SpecialType != SpecialType.None))
        {
            return new SlotShape(SlotKind.Single, type, null);
        }

        if (type is not INamedTypeSymbol named)
        {
            return new SlotShape(SlotKind.Single, type, null);
        }

        INamedTypeSymbol definition = named.OriginalDefinition;
        if (definition.SpecialType == SpecialType.System_Nullable_T)
        {
            return new SlotShape(SlotKind.Nullable, named.TypeArguments[0], null);
        }

        (CollectionKind collection, ITypeSymbol? element) = CollectionShapes.Classify(named, known);
        if (element is not null)
        {
            SlotKind kind = collection switch
            {
                CollectionKind.List => SlotKind.List,
                CollectionKind.IList => SlotKind.IList,
                CollectionKind.HashSet => SlotKind.HashSet,
                _ => SlotKind.Replaced,
            };
            return new SlotShape(kind, element, null);
        }

        if (named.IsGenericType && named.TypeArguments.Length == 1 && IsReadOnlyCollection(definition, known))
        {
            return new SlotShape(SlotKind.ReadOnlyCollection, named.TypeArguments[0], null);
        }

        if (IsOrImplements(named, known.IDictionary) || IsOrImplements(named, known.IReadOnlyDictionary) || IsOrImplements(named, known.NonGenericDictionary))
        {
            return new SlotShape(SlotKind.Unwalkable, type, "a dictionary");
        }

        if (IsOrImplements(named, known.IEnumerable) || IsOrImplements(named, known.NonGenericEnumerable))
        {
            return new SlotShape(SlotKind.Unwalkable, type, "an enumerable that is not a list, array or set");
        }

        if (named.TypeKind == TypeKind.Interface)
        {
            return new SlotShape(SlotKind.Unwalkable, type, "an interface-typed value");
        }

        return new SlotShape(SlotKind.Single, type, null);
    }

    private static bool IsReadOnlyCollection(INamedTypeSymbol definition, KnownSymbols known)
    {
        foreach (INamedTypeSymbol? candidate in known.OtherReadOnlyCollections)
        {
            if (Same(definition, candidate))
            {
                return true;
            }
        }

        // ImmutableList<T>, ImmutableHashSet<T>, ... cannot be written in place either.
        return definition.ContainingNamespace?.ToDisplayString() == "System.Collections.Immutable";
    }

    private static bool IsOrImplements(INamedTypeSymbol type, INamedTypeSymbol? contract)
    {
        if (contract is null)
        {
            return false;
        }

        if (Same(type.OriginalDefinition, contract))
        {
            return true;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (Same(implemented.OriginalDefinition, contract))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Same(ISymbol? left, ISymbol? right) => right is not null && SymbolEqualityComparer.Default.Equals(left, right);
}
