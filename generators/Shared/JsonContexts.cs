using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Shared;

/// <summary>
/// Which <c>JsonSerializerContext</c> of the compilation gives an entity its AOT-safe JSON metadata: a
/// context declared in source, reachable from the assembly, that lists the entity itself in a
/// <c>[JsonSerializable(typeof(T))]</c>. The generator wires the entity to it; OSYNC010 reports an entity
/// without one when the project is analyzed for trimming or Native AOT.
/// </summary>
internal static class JsonContexts
{
    /// <summary>
    /// Whether <paramref name="type"/> is a context the generated code can use: a partial, non-generic class
    /// deriving from <c>JsonSerializerContext</c> (System.Text.Json's generator then gives it <c>Default</c>),
    /// not nested in a generic type, and reachable from the rest of the assembly.
    /// </summary>
    public static bool IsUsable(INamedTypeSymbol type, SyncSymbols symbols, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsGenericType || !DerivesFrom(type, symbols.JsonSerializerContext)
            || !symbols.IsAccessibleInAssembly(type))
        {
            return false;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType || !TypeRules.IsPartial(current, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The types a context lists in <c>[JsonSerializable(typeof(T))]</c>.</summary>
    public static IEnumerable<ITypeSymbol> ListedTypes(INamedTypeSymbol context, SyncSymbols symbols)
    {
        foreach (AttributeData attribute in context.GetAttributes())
        {
            if (SyncSymbols.Is(attribute.AttributeClass, symbols.JsonSerializable)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is ITypeSymbol listed)
            {
                yield return listed;
            }
        }
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SyncSymbols.Is(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
