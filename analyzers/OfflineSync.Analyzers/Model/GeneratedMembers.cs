using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers.Model;

/// <summary>
/// The members of an entity named like one the generator adds to the entity or to its patch type
/// (<see cref="SyncNaming.EntityMembers"/>, <see cref="SyncNaming.PatchMembers"/>): they would not compile beside it (OSYNC009).
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>The members of <paramref name="entity"/> (its own, and the instance members it inherits) that clash, with the generated member each clashes with.</summary>
    public static IEnumerable<(ISymbol Member, string Generated, bool InPatch)> FindClashes(INamedTypeSymbol entity, KnownSymbols known, CancellationToken cancellationToken)
    {
        string patch = SyncNaming.PatchType(entity.Name);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ISymbol member in entity.GetMembers().Concat(InheritedInstanceMembers(entity)))
        {
            // A method of the same name is an overload, not a clash; accessors are methods too.
            // The generated members themselves are in the compilation the analyzers see.
            if (member is IMethodSymbol || member.IsImplicitlyDeclared || IsGenerated(member, cancellationToken) || !seen.Add(member.Name))
            {
                continue;
            }

            if (SyncNaming.EntityMembers.Contains(member.Name))
            {
                yield return (member, SymbolText.Display(entity) + "." + member.Name, false);
            }
            else if (IsPatched(member, known) && (SyncNaming.PatchMembers.Contains(member.Name) || member.Name == patch))
            {
                yield return (member, patch + "." + member.Name, true);
            }
        }
    }

    private static bool IsGenerated(ISymbol member, CancellationToken cancellationToken) =>
        member.Locations.Any(l => l.SourceTree is { } tree && GeneratedCode.IsGenerated(tree, cancellationToken));

    private static IEnumerable<ISymbol> InheritedInstanceMembers(INamedTypeSymbol entity)
    {
        for (INamedTypeSymbol? type = entity.BaseType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (!member.IsStatic)
                {
                    yield return member;
                }
            }
        }
    }

    /// <summary>Whether the generated patch has a property for <paramref name="member"/>: public get and set (or init), not ignored.</summary>
    private static bool IsPatched(ISymbol member, KnownSymbols known) =>
        member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } property
        && property.GetMethod is { DeclaredAccessibility: Accessibility.Public }
        && property.SetMethod is { DeclaredAccessibility: Accessibility.Public }
        && !known.HasSyncIgnore(property)
        && !SyncSymbols.HasAttribute(property, known.JsonIgnore);
}
