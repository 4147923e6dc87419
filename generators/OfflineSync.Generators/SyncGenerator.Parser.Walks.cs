using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Model;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    /// <summary>The walk: the types whose reference slots are visited, from the entity down through nested objects.</summary>
    internal sealed partial class Parser
    {
        private int GetWalk(INamedTypeSymbol type)
        {
            if (_walkIndex.TryGetValue(type, out int existing))
            {
                return existing;
            }

            if (_walks.Count >= MaxWalkTypes)
            {
                return -1;
            }

            int index = _walks.Count;
            var builder = new WalkBuilder(type);
            _walks.Add(builder);
            _walkIndex[type] = index;
            foreach (ISymbol member in GetInstanceMembers(type))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (ParseSlot(member) is { } slot)
                {
                    builder.Slots.Add(slot);
                }
            }

            return index;
        }

        private SlotModel? ParseSlot(ISymbol member)
        {
            ITypeSymbol memberType;
            switch (member)
            {
                case IPropertySymbol property when IsReadable(property):
                    memberType = property.Type;
                    break;
                case IFieldSymbol field when IsAccessible(field):
                    memberType = field.Type;
                    break;
                default:
                    return null;
            }

            AttributeData? references = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.ReferencesAttribute));
            return references is not null
                ? ParseKeySlot(member, memberType, references)
                : ParseNestedSlot(member, memberType);
        }

        private SlotModel? ParseKeySlot(ISymbol member, ITypeSymbol memberType, AttributeData references)
        {
            // OSYNC001/006: the target must be a [Syncable] entity with a supported key.
            if (references.ConstructorArguments.Length != 1
                || references.ConstructorArguments[0].Value is not INamedTypeSymbol target
                || !HasAttribute(target, _known.SyncableAttribute)
                || target.IsGenericType
                || FindKeyType(target) is not { } keyType)
            {
                return null;
            }

            string keyTypeName = keyType.ToDisplayString(s_typeName);
            string targetName = target.ToDisplayString(s_typeName);
            bool keyIsReference = keyType.IsReferenceType;

            // OSYNC002: the slot must hold exactly the target's key type.
            SlotKind kind;
            if (SameType(memberType, keyType))
            {
                kind = SlotKind.Key;
            }
            else if (UnwrapNullable(memberType) is { } underlying && SameType(underlying, keyType))
            {
                kind = SlotKind.NullableKey;
            }
            else if (GetCollection(memberType) is ({ } element, { } collectionKind) && SameType(element, keyType))
            {
                kind = collectionKind switch
                {
                    SlotKind.NestedList => SlotKind.KeyList,
                    SlotKind.NestedArray => SlotKind.KeyArray,
                    SlotKind.NestedIList => SlotKind.KeyIList,
                    _ => SlotKind.KeySet,
                };
            }
            else
            {
                return null;
            }

            MemberWrite write = MemberWrite.Direct;
            if (kind is SlotKind.Key or SlotKind.NullableKey)
            {
                // OSYNC003: a changed key must be written back.
                if (GetWrite(member) is not { } scalarWrite)
                {
                    return null;
                }

                write = scalarWrite;
            }

            return new SlotModel(Naming.Identifier(member.Name), kind, keyTypeName, targetName, keyIsReference, -1, write);
        }

        private SlotModel? ParseNestedSlot(ISymbol member, ITypeSymbol memberType)
        {
            SlotKind kind;
            ITypeSymbol nestedType;
            if (GetCollection(memberType) is ({ } element, { } collectionKind))
            {
                kind = collectionKind;
                nestedType = element;
            }
            else if (UnwrapNullable(memberType) is { } underlying)
            {
                kind = SlotKind.NullableNested;
                nestedType = underlying;
            }
            else
            {
                kind = SlotKind.Nested;
                nestedType = memberType;
            }

            if (nestedType is not INamedTypeSymbol named || !IsWalkable(named))
            {
                return null;
            }

            // A set of structs cannot be written back element by element (OSYNC004).
            if (named.IsValueType && kind == SlotKind.NestedSet)
            {
                return null;
            }

            MemberWrite write = MemberWrite.Direct;
            if (named.IsValueType && kind is SlotKind.Nested or SlotKind.NullableNested)
            {
                if (GetWrite(member) is not { } structWrite)
                {
                    return null;
                }

                write = structWrite;
            }

            int walk = GetWalk(named);
            if (walk < 0)
            {
                return null;
            }

            return new SlotModel(Naming.Identifier(member.Name), kind, named.ToDisplayString(s_typeName), string.Empty, !named.IsValueType, walk, write);
        }

        /// <summary>Drops nested types that hold no key at any depth, renumbers the rest and marks recursive ones.</summary>
        private EquatableArray<WalkTypeModel> FinishWalks()
        {
            int count = _walks.Count;
            bool[] useful = new bool[count];
            useful[0] = true;
            bool changed = true;
            while (changed)
            {
                changed = false;
                for (int i = 0; i < count; i++)
                {
                    if (!useful[i] && _walks[i].Slots.Any(s => !s.IsNested || useful[s.NestedWalk]))
                    {
                        useful[i] = true;
                        changed = true;
                    }
                }
            }

            int[] newIndex = new int[count];
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                newIndex[i] = useful[i] ? next++ : -1;
            }

            var slotsByWalk = new List<List<SlotModel>>();
            for (int i = 0; i < count; i++)
            {
                if (useful[i])
                {
                    slotsByWalk.Add(_walks[i].Slots
                        .Where(s => !s.IsNested || useful[s.NestedWalk])
                        .Select(s => s.IsNested ? s with { NestedWalk = newIndex[s.NestedWalk] } : s)
                        .ToList());
                }
            }

            var result = new List<WalkTypeModel>();
            for (int i = 0; i < count; i++)
            {
                if (useful[i])
                {
                    int index = newIndex[i];
                    INamedTypeSymbol type = _walks[i].Type;
                    result.Add(new WalkTypeModel(
                        type.ToDisplayString(s_typeName),
                        type.IsValueType,
                        index != 0 && Reaches(slotsByWalk, index, index),
                        slotsByWalk[index].ToEquatableArray(),
                        HasValueEquality(type)));
                }
            }

            return result.ToEquatableArray();
        }

        private static bool HasValueEquality(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (current.IsRecord || current.GetMembers("GetHashCode").Any(static m => m is IMethodSymbol { IsOverride: true, Parameters.Length: 0 }))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Reaches(List<List<SlotModel>> slotsByWalk, int from, int to)
        {
            var seen = new HashSet<int>();
            var pending = new Stack<int>();
            pending.Push(from);
            while (pending.Count > 0)
            {
                foreach (SlotModel slot in slotsByWalk[pending.Pop()])
                {
                    if (!slot.IsNested)
                    {
                        continue;
                    }

                    if (slot.NestedWalk == to)
                    {
                        return true;
                    }

                    if (seen.Add(slot.NestedWalk))
                    {
                        pending.Push(slot.NestedWalk);
                    }
                }
            }

            return false;
        }

        private bool IsWalkable(INamedTypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                || type.SpecialType != SpecialType.None
                || type.IsUnboundGenericType
                || HasAttribute(type, _known.SyncableAttribute)
                || !_known.Compilation.IsSymbolAccessibleWithin(type, _known.Compilation.Assembly))
            {
                return false;
            }

            // Framework types hold no [References]; skipping them keeps the walk small.
            string? ns = type.ContainingNamespace?.ToDisplayString();
            return ns is null || !(ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal));
        }

        /// <summary>Recognizes <c>List&lt;T&gt;</c>, <c>T[]</c>, <c>IList&lt;T&gt;</c> and <c>HashSet&lt;T&gt;</c>, returned as the nested slot kind.</summary>
        private (ITypeSymbol? Element, SlotKind? Kind) GetCollection(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                return (array.ElementType, SlotKind.NestedArray);
            }

            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic)
            {
                INamedTypeSymbol definition = generic.OriginalDefinition;
                SlotKind? kind =
                    SymbolEqualityComparer.Default.Equals(definition, _known.List) ? SlotKind.NestedList
                    : SymbolEqualityComparer.Default.Equals(definition, _known.IList) ? SlotKind.NestedIList
                    : SymbolEqualityComparer.Default.Equals(definition, _known.HashSet) ? SlotKind.NestedSet
                    : null;
                if (kind is not null)
                {
                    return (generic.TypeArguments[0], kind);
                }
            }

            return (null, null);
        }

        private sealed class WalkBuilder
        {
            public WalkBuilder(INamedTypeSymbol type) => Type = type;

            public INamedTypeSymbol Type { get; }

            public List<SlotModel> Slots { get; } = new();
        }
    }
}
