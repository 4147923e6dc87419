using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OfflineSync.Shared;

/// <summary>Why the generator cannot extend a <c>[SyncClient]</c> class (OSYNC012).</summary>
internal enum ClientProblem
{
    None,

    /// <summary>Not a plain class: a record, a struct, an interface or a static class.</summary>
    NotAClass,

    /// <summary>Generic, or nested in a generic type.</summary>
    Generic,

    /// <summary>Derives from a class other than <c>SyncClient</c>, which the generator makes its base.</summary>
    OtherBaseClass,

    /// <summary>Not partial, or nested in a type that is not.</summary>
    NotPartial,
}

/// <summary>The declaration rules of the types the generator extends, shared by the generator and the analyzers.</summary>
internal static class TypeRules
{
    /// <summary>Whether every declaration of <paramref name="type"/> says <c>partial</c> (a metadata type has none).</summary>
    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The types containing <paramref name="type"/> that are not partial, innermost first.</summary>
    public static List<INamedTypeSymbol> NonPartialContainers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var found = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (!IsPartial(container, cancellationToken))
            {
                found.Add(container);
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="type"/> or a type containing it is generic.</summary>
    public static bool IsInGenericType(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the generator can extend a <c>[SyncClient]</c> class: the first problem found, or <see cref="ClientProblem.None"/>.</summary>
    public static ClientProblem CheckClient(INamedTypeSymbol type, SyncSymbols symbols, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Class || type.IsRecord || type.IsStatic)
        {
            return ClientProblem.NotAClass;
        }

        if (IsInGenericType(type))
        {
            return ClientProblem.Generic;
        }

        INamedTypeSymbol? baseType = type.BaseType;
        if (baseType is not null && baseType.SpecialType != SpecialType.System_Object && !SyncSymbols.Is(baseType, symbols.SyncClientBase))
        {
            return ClientProblem.OtherBaseClass;
        }

        return IsPartial(type, cancellationToken) && NonPartialContainers(type, cancellationToken).Count == 0
            ? ClientProblem.None
            : ClientProblem.NotPartial;
    }
}
