using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Model;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    /// <summary>What the JSON contract needs beyond source-generated metadata.</summary>
    internal sealed partial class Parser
    {
        /// <summary>
        /// The <c>[SyncIgnore]</c> members of the entity and of every type its JSON reaches (property types,
        /// elements, type arguments, at any depth). System.Text.Json's generator does not know the attribute,
        /// so the contract built over a <c>JsonSerializerContext</c> removes them by name.
        /// </summary>
        private EquatableArray<IgnoredJsonMemberModel> ParseIgnoredJsonMembers(INamedTypeSymbol entity)
        {
            var found = new HashSet<IgnoredJsonMemberModel>();
            var visited = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default) { entity };
            var pending = new Queue<INamedTypeSymbol>();
            pending.Enqueue(entity);
            while (pending.Count > 0 && visited.Count < MaxWalkTypes)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                INamedTypeSymbol type = pending.Dequeue();
                for (INamedTypeSymbol? level = type; level is not null && level.SpecialType != SpecialType.System_Object; level = level.BaseType)
                {
                    foreach (ISymbol member in level.GetMembers())
                    {
                        if (!IsSerializedMember(member, out ITypeSymbol? memberType))
                        {
                            continue;
                        }

                        if (HasAttribute(member, _known.SyncIgnore))
                        {
                            found.Add(new IgnoredJsonMemberModel(level.ToDisplayString(s_typeName), GetJsonName(member)));
                        }
                        else if (!IsJsonIgnored(member))
                        {
                            foreach (INamedTypeSymbol reached in SerializedTypes(memberType!))
                            {
                                if (visited.Add(reached))
                                {
                                    pending.Enqueue(reached);
                                }
                            }
                        }
                    }
                }
            }

            return found
                .OrderBy(static m => m.DeclaringTypeName, StringComparer.Ordinal)
                .ThenBy(static m => m.JsonName, StringComparer.Ordinal)
                .ToEquatableArray();
        }

        /// <summary>The public instance properties and fields the contract may hold (fields only with <c>[JsonInclude]</c>, which is not checked: listing one too many is harmless).</summary>
        private static bool IsSerializedMember(ISymbol member, out ITypeSymbol? type)
        {
            type = member switch
            {
                IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } property => property.Type,
                IFieldSymbol { IsStatic: false, IsConst: false, IsImplicitlyDeclared: false, DeclaredAccessibility: Accessibility.Public } field => field.Type,
                _ => null,
            };
            return type is not null;
        }

        /// <summary>The app's classes and structs a member type mentions: itself, array elements and type arguments, recursively.</summary>
        private static IEnumerable<INamedTypeSymbol> SerializedTypes(ITypeSymbol type)
        {
            var pending = new Stack<ITypeSymbol>();
            pending.Push(type);
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case IArrayTypeSymbol array:
                        pending.Push(array.ElementType);
                        break;
                    case INamedTypeSymbol named:
                        foreach (ITypeSymbol argument in named.TypeArguments)
                        {
                            pending.Push(argument);
                        }

                        if (named.TypeKind is TypeKind.Class or TypeKind.Struct && named.SpecialType == SpecialType.None && !IsFrameworkType(named))
                        {
                            yield return named;
                        }

                        break;
                }
            }
        }

        private static bool IsFrameworkType(INamedTypeSymbol type)
        {
            string? ns = type.ContainingNamespace?.ToDisplayString();
            return ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal));
        }
    }
}
