using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Shared;

/// <summary>The supported key types (DESIGN §2); the names match <c>OfflineSync.SyncKeyKind</c>.</summary>
internal enum KeyKind
{
    String,
    Guid,
    Int64,
    Int32,
}

/// <summary>The supported types of a <c>[SyncVersion]</c> property: the server's version is a string or an integer counter.</summary>
internal enum VersionKind
{
    String,
    Int64,
    Int32,
}

/// <summary>The key and version rules of an entity, shared by the generator and the analyzers (OSYNC006, OSYNC014).</summary>
internal static class EntityRules
{
    /// <summary>The key kind of a key type: string, Guid, long or int (not nullable); null for any other type.</summary>
    public static KeyKind? GetKeyKind(ITypeSymbol type, SyncSymbols symbols) => type.SpecialType switch
    {
        SpecialType.System_String => KeyKind.String,
        SpecialType.System_Int64 => KeyKind.Int64,
        SpecialType.System_Int32 => KeyKind.Int32,
        _ when SyncSymbols.Is(type, symbols.Guid) => KeyKind.Guid,
        _ => null,
    };

    /// <summary>
    /// The version kind of a <c>[SyncVersion]</c> type: <c>string</c>, <c>long</c> or <c>int</c>, the numbers also
    /// nullable (<paramref name="isNullable"/>); null for any other type.
    /// </summary>
    public static VersionKind? GetVersionKind(ITypeSymbol type, out bool isNullable)
    {
        isNullable = type.NullableAnnotation == NullableAnnotation.Annotated;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
            isNullable = true;
        }

        return type.SpecialType switch
        {
            SpecialType.System_String => VersionKind.String,
            SpecialType.System_Int64 => VersionKind.Int64,
            SpecialType.System_Int32 => VersionKind.Int32,
            _ => null,
        };
    }

    /// <summary>
    /// The key candidates of an entity: the instance properties marked <c>[SyncKey]</c> and the property named
    /// <c>Id</c>, most derived first (an override or a redeclaration hides the base property). The key is the one
    /// marked property, else <c>Id</c>; more than one marked property is an error (OSYNC006).
    /// </summary>
    public static KeyCandidates FindKey(INamedTypeSymbol entity, SyncSymbols symbols)
    {
        var marked = new List<IPropertySymbol>();
        IPropertySymbol? named = null;
        var seen = new HashSet<string>();
        for (INamedTypeSymbol? type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } property || !seen.Add(property.Name))
                {
                    continue;
                }

                if (SyncSymbols.HasAttribute(property, symbols.SyncKey))
                {
                    marked.Add(property);
                }
                else if (property.Name == "Id")
                {
                    named = property;
                }
            }
        }

        return new KeyCandidates(marked, named);
    }

    /// <summary>The <c>[SyncVersion]</c> properties of an entity, most derived first.</summary>
    public static List<IPropertySymbol> FindVersions(INamedTypeSymbol entity, SyncSymbols symbols)
    {
        var found = new List<IPropertySymbol>();
        var seen = new HashSet<string>();
        for (INamedTypeSymbol? type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property
                    && seen.Add(property.Name)
                    && SyncSymbols.HasAttribute(property, symbols.SyncVersion))
                {
                    found.Add(property);
                }
            }
        }

        return found;
    }
}

/// <summary>What <see cref="EntityRules.FindKey"/> found.</summary>
internal readonly struct KeyCandidates
{
    public KeyCandidates(List<IPropertySymbol> marked, IPropertySymbol? named)
    {
        Marked = marked;
        Named = named;
    }

    /// <summary>The <c>[SyncKey]</c> properties; more than one is ambiguous.</summary>
    public List<IPropertySymbol> Marked { get; }

    /// <summary>The property named <c>Id</c>, if any.</summary>
    public IPropertySymbol? Named { get; }

    public bool IsAmbiguous => Marked.Count > 1;

    /// <summary>The key property, or null when there is none or the choice is ambiguous.</summary>
    public IPropertySymbol? Key => Marked.Count switch
    {
        0 => Named,
        1 => Marked[0],
        _ => null,
    };
}
