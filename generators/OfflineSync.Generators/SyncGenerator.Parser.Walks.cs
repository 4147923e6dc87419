using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Model;
using OfflineSync.Shared;

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

            AttributeData? references = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.References));
            return references is not null
                ? ParseKeySlot(member, memberType, references)
                : ParseNestedSlot(member, memberType);
        }

        private SlotModel? ParseKeySlot(ISymbol member, ITypeSymbol memberType, AttributeData references)
        {
            // OSYNC001/006: the target must be a [Syncable] entity with a supported key.
            if (references.ConstructorArguments.Length != 1
                || references.ConstructorArguments[0].Value is not INamedTypeSymbol target
                || !HasAttribute(target, _known.Syncable)
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
            else if (CollectionShapes.Classify(memberType, _known) is ({ } collection and not CollectionKind.None, { } element) && SameType(element, keyType))
            {
                kind = collection switch
                {
                    CollectionKind.List => SlotKind.KeyList,
                    CollectionKind.Array => SlotKind.KeyArray,
                    CollectionKind.IList => SlotKind.KeyIList,
                    CollectionKind.HashSet => SlotKind.KeySet,
                    CollectionKind.ReadOnlyList => SlotKind.KeyReadOnlyList,
                    CollectionKind.ReadOnlyCollection => SlotKind.KeyReadOnlyCollection,
                    _ => SlotKind.KeyImmutableArray,
                };
            }
            else
            {
                return null;
            }

            MemberWrite write = MemberWrite.Direct;
            if (kind is SlotKind.Key or SlotKind.NullableKey or SlotKind.KeyReadOnlyList or SlotKind.KeyReadOnlyCollection or SlotKind.KeyImmutableArray)
            {
                // OSYNC003: a changed key, or a read-only collection rebuilt around it, must be written back.
                if (GetWrite(member) is not { } scalarWrite)
                {
                    return null;
                }

                write = scalarWrite;
            }

            return new SlotModel(SyncNaming.Identifier(member.Name), kind, keyTypeName, targetName, keyIsReference, -1, write);
        }

        private SlotModel? ParseNestedSlot(ISymbol member, ITypeSymbol memberType)
        {
            SlotKind kind;
            ITypeSymbol nestedType;
            (CollectionKind collection, ITypeSymbol? element) = CollectionShapes.Classify(memberType, _known);
            if (element is not null)
            {
                // Nested objects in read-only collections are not walked (OSYNC004).
                SlotKind? nestedKind = collection switch
                {
                    CollectionKind.List => SlotKind.NestedList,
                    CollectionKind.Array => SlotKind.NestedArray,
                    CollectionKind.IList => SlotKind.NestedIList,
                    CollectionKind.HashSet => SlotKind.NestedSet,
                    _ => null,
                };
                if (nestedKind is null)
                {
                    return null;
                }

                kind = nestedKind.Value;
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

            return new SlotModel(SyncNaming.Identifier(member.Name), kind, named.ToDisplayString(s_typeName), string.Empty, !named.IsValueType, walk, write);
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
                || HasAttribute(type, _known.Syncable)
                || !_known.IsAccessibleInAssembly(type))
            {
                return false;
            }

            // Framework types hold no [References]; skipping them keeps the walk small.
            return !IsFrameworkType(type);
        }

        private sealed class WalkBuilder
        {
            public WalkBuilder(INamedTypeSymbol type) => Type = type;

            public INamedTypeSymbol Type { get; }

            public List<SlotModel> Slots { get; } = new();
        }
    }
}
