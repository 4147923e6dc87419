using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers.Model;

/// <summary>
/// Answers, per compilation, which non-entity types hold references: a type holds references when it
/// declares a <c>[References]</c> member or, at any depth, holds a type that does. Entities are not
/// walked into (they are resources of their own), and neither are BCL types (only their type arguments).
/// </summary>
internal sealed class ReferenceGraph
{
    /// <summary>Bounds a search in a pathological model; real models are a handful of types.</summary>
    private const int MaxTypesPerSearch = 512;

    private readonly KnownSymbols _known;
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _holdsReferences = new(SymbolEqualityComparer.Default);

    public ReferenceGraph(KnownSymbols known) => _known = known;

    public KnownSymbols Known => _known;

    /// <summary>A user type whose members the visitor would walk: a class, struct or interface of the app, not an entity.</summary>
    public bool IsModelType(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface } named
            || named.SpecialType != SpecialType.None
            || _known.IsSyncable(named))
        {
            return false;
        }

        INamespaceSymbol? root = named.ContainingNamespace;
        while (root is { ContainingNamespace.IsGlobalNamespace: false })
        {
            root = root.ContainingNamespace;
        }

        return root is null || root.IsGlobalNamespace || (root.Name != "System" && root.Name != "Microsoft");
    }

    /// <summary>
    /// The instance fields and properties the generated code sees, most derived first, [SyncIgnore] left out.
    /// Private and protected members are out of its reach: a [References] one is reported on its own (OSYNC003),
    /// any other one is not walked (a private backing field is reached through its public property).
    /// </summary>
    public IEnumerable<ISymbol> InstanceMembers(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        for (INamedTypeSymbol? current = type; current is not null && IsWalkedLevel(current, type); current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                bool candidate = member switch
                {
                    IPropertySymbol property => !property.IsStatic && !property.IsIndexer && !(current.IsRecord && property.Name == "EqualityContract"),
                    IFieldSymbol field => !field.IsStatic && !field.IsConst && !field.IsImplicitlyDeclared,
                    _ => false,
                };
                if (candidate
                    && seen.Add(member.Name)
                    && !_known.HasSyncIgnore(member)
                    && (MemberAccess.IsReadable(member, _known) || _known.GetReferencesAttribute(member) is not null))
                {
                    yield return member;
                }
            }
        }
    }

    /// <summary>True when <paramref name="type"/> (a model type) holds references at any depth.</summary>
    public bool HoldsReferences(ITypeSymbol type) =>
        IsModelType(type) && _holdsReferences.GetOrAdd(type, t => SearchReferences(t));

    /// <summary>True when a model type that holds references appears anywhere in <paramref name="type"/> (as itself, an element, a type argument).</summary>
    public bool MentionsReferences(ITypeSymbol type)
    {
        foreach (INamedTypeSymbol mentioned in MentionedModelTypes(type))
        {
            if (HoldsReferences(mentioned))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The model types a member type mentions: itself, array elements, BCL type arguments, recursively.</summary>
    public IEnumerable<INamedTypeSymbol> MentionedModelTypes(ITypeSymbol type)
    {
        var pending = new Stack<ITypeSymbol>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            ITypeSymbol current = pending.Pop();
            if (current is IArrayTypeSymbol array)
            {
                pending.Push(array.ElementType);
            }
            else if (current is INamedTypeSymbol named)
            {
                if (IsModelType(named))
                {
                    yield return named;
                }
                else
                {
                    foreach (ITypeSymbol argument in named.TypeArguments)
                    {
                        pending.Push(argument);
                    }
                }
            }
        }
    }

    private bool SearchReferences(ITypeSymbol start)
    {
        var visited = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default) { start };
        var pending = new Queue<INamedTypeSymbol>();
        pending.Enqueue((INamedTypeSymbol)start);
        while (pending.Count > 0 && visited.Count < MaxTypesPerSearch)
        {
            INamedTypeSymbol current = pending.Dequeue();
            foreach (ISymbol member in InstanceMembers(current))
            {
                if (_known.GetReferencesAttribute(member) is not null)
                {
                    return true;
                }

                ITypeSymbol? memberType = SymbolText.TypeOf(member);
                if (memberType is null)
                {
                    continue;
                }

                foreach (INamedTypeSymbol mentioned in MentionedModelTypes(memberType))
                {
                    if (visited.Add(mentioned))
                    {
                        pending.Enqueue(mentioned);
                    }
                }
            }
        }

        return false;
    }

    private bool IsWalkedLevel(INamedTypeSymbol level, INamedTypeSymbol start) =>
        level.SpecialType != SpecialType.System_Object
        && (SymbolEqualityComparer.Default.Equals(level, start) || IsModelType(level) || _known.IsSyncable(level));
}
