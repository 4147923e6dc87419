using System;
using System.Globalization;
using System.Linq;
using OfflineSync.Generators.Model;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    internal static partial class Emitter
    {
        /// <summary>How deep nested objects of a recursive type (a tree of replies) are followed before the graph is taken for a cycle.</summary>
        private const int MaxDepth = 64;

        /// <summary>
        /// The file-local class holding the JSON contract, one visit method per walked type and the
        /// <c>[UnsafeAccessor]</c> setters; file-local so nothing of it leaks into the app's API.
        /// </summary>
        private static void WriteSupport(SourceWriter writer, EntityModel entity)
        {
            writer.WriteLine(GeneratedCode);
            writer.OpenBlock("file static class " + entity.SupportName);

            foreach (SetterAccessorModel accessor in entity.Accessors)
            {
                string owner = (accessor.OwnerIsValueType ? "ref " : string.Empty) + accessor.OwnerTypeName;
                writer.WriteLine("[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = \"set_" + accessor.MemberName + "\")]");
                writer.WriteLine("internal static extern void " + accessor.Name + "(" + owner + " owner, " + accessor.ValueTypeName + " value);");
                writer.WriteLine();
            }

            WriteJsonContract(writer, entity);

            for (int i = 0; i < entity.Walks.Count; i++)
            {
                writer.WriteLine();
                WriteWalk(writer, entity, i);
            }

            writer.CloseBrace();
        }

        /// <summary>
        /// The entity's JSON contract, built once: from the <c>JsonSerializerContext</c> that lists the entity
        /// (no reflection), or else through reflection while System.Text.Json allows it. Patch values are
        /// described by the same options, so they take the same path.
        /// </summary>
        private static void WriteJsonContract(SourceWriter writer, EntityModel entity)
        {
            string self = entity.Type.FullyQualifiedName;
            string typeInfo = Json + ".Serialization.Metadata.JsonTypeInfo";
            bool removesIgnored = entity.JsonContext is not null && !entity.IgnoredJsonMembers.IsEmpty;
            string create = entity.JsonContext is { } jsonContext
                ? $"global::OfflineSync.SyncJson.CreateTypeInfo<{self}>({jsonContext}.Default, {(removesIgnored ? "RemoveIgnored" : "null")})"
                : $"global::OfflineSync.SyncJson.GetReflectionTypeInfo<{self}>()";
            writer.WriteLines($$"""
                private static {{typeInfo}}<{{self}}>? s_jsonTypeInfo;

                internal static {{typeInfo}}<{{self}}> JsonTypeInfo => s_jsonTypeInfo ??= {{create}};

                internal static {{typeInfo}}<T> ValueTypeInfo<T>() => global::OfflineSync.SyncJson.GetTypeInfo<T>(JsonTypeInfo.Options);

                internal static T CloneValue<T>(T value) => value is null ? value : global::OfflineSync.SyncJson.Clone(value, ValueTypeInfo<T>());
                """);
            if (!removesIgnored)
            {
                return;
            }

            // Source-generated metadata does not know [SyncIgnore]: the members are removed by JSON name,
            // from the declaring type and the types derived from it.
            writer.WriteLine();
            writer.OpenBlock("private static void RemoveIgnored(" + typeInfo + " typeInfo)");
            bool first = true;
            foreach (IGrouping<string, IgnoredJsonMemberModel> group in entity.IgnoredJsonMembers.GroupBy(static m => m.DeclaringTypeName))
            {
                if (!first)
                {
                    writer.WriteLine();
                }

                first = false;
                writer.OpenBlock("if (typeof(" + group.Key + ").IsAssignableFrom(typeInfo.Type))");
                foreach (IgnoredJsonMemberModel member in group)
                {
                    writer.WriteLine("global::OfflineSync.SyncJson.RemoveProperty(typeInfo, " + Literal(member.JsonName) + ");");
                }

                writer.CloseBrace();
            }

            writer.CloseBrace();
        }

        private static void WriteWalk(SourceWriter writer, EntityModel entity, int index)
        {
            WalkTypeModel walk = entity.Walks[index];
            string support = SupportReference(entity);
            string name = "Visit" + index.ToString(CultureInfo.InvariantCulture);
            writer.WriteLine(walk.IsValueType
                ? "internal static bool " + name + "<TVisitor>(ref " + walk.TypeName + " value, ref TVisitor visitor, int depth)"
                : "internal static void " + name + "<TVisitor>(" + walk.TypeName + " value, ref TVisitor visitor, int depth)");
            writer.WriteLine("    " + Visitor);
            writer.OpenBrace();
            if (walk.IsRecursive)
            {
                string maxDepth = MaxDepth.ToString(CultureInfo.InvariantCulture);
                writer.WriteLines($$"""
                    if (depth > {{maxDepth}})
                    {
                        throw new global::OfflineSync.SyncModelException({{Literal("Objects of type '" + walk.TypeName.Replace("global::", string.Empty) + "' are nested more than " + maxDepth + " levels deep under a " + entity.Type.Name + "; the graph has a cycle or is too deep to sync.")}});
                    }

                    """);
            }

            if (walk.IsValueType)
            {
                writer.WriteLine("bool changed = false;");
            }
            else if (walk.Slots.IsEmpty)
            {
                writer.WriteLine("_ = value;");
                writer.WriteLine("_ = depth;");
            }

            int counter = 0;
            foreach (SlotModel slot in walk.Slots)
            {
                string read = "value." + slot.MemberName;
                string member = slot.MemberName;
                bool byRef = walk.IsValueType;
                WriteSlot(
                    writer,
                    entity,
                    slot,
                    read,
                    v => Assign(slot.Write, support, "value", byRef, member, v),
                    walk.IsValueType ? "changed = true;" : null,
                    "depth + 1",
                    ref counter);
            }

            if (walk.IsValueType)
            {
                writer.WriteLine("return changed;");
            }

            writer.CloseBrace();
        }

        /// <summary>Writes the visit of one slot; keys are written back only when the visitor changed them.</summary>
        /// <param name="writer">The writer.</param>
        /// <param name="entity">The entity whose support class holds the nested visit methods.</param>
        /// <param name="slot">The slot.</param>
        /// <param name="read">An expression reading the slot, safe to evaluate twice.</param>
        /// <param name="assign">Makes the statement writing a new value back.</param>
        /// <param name="onChanged">A statement run after a write-back (a struct's "changed" flag), or null.</param>
        /// <param name="nextDepth">The depth expression passed to nested visits.</param>
        /// <param name="counter">Numbers the locals so nested scopes never collide.</param>
        private static void WriteSlot(
            SourceWriter writer,
            EntityModel entity,
            SlotModel slot,
            string read,
            Func<string, string> assign,
            string? onChanged,
            string nextDepth,
            ref int counter)
        {
            string n = (counter++).ToString(CultureInfo.InvariantCulture);
            string support = SupportReference(entity);
            string type = slot.ValueTypeName;
            string visit = slot.IsNested ? support + ".Visit" + slot.NestedWalk.ToString(CultureInfo.InvariantCulture) : string.Empty;
            string typeArguments = "<" + slot.TargetTypeName + ", " + type + ", TVisitor>";
            bool nestedIsStruct = slot.IsNested && !slot.ValueIsReferenceType;

            switch (slot.Kind)
            {
                case SlotKind.Key or SlotKind.NullableKey:
                    writer.OpenBlock(slot.ValueIsReferenceType || slot.Kind == SlotKind.NullableKey
                        ? $"if ({read} is {{ }} original{n})"
                        : string.Empty);
                    if (!slot.ValueIsReferenceType && slot.Kind == SlotKind.Key)
                    {
                        writer.WriteLine($"{type} original{n} = {read};");
                    }

                    writer.WriteLine($"{type} key{n} = original{n};");
                    writer.WriteLine($"visitor.Visit<{slot.TargetTypeName}, {type}>(ref key{n});");
                    writer.OpenBlock($"if (!global::System.Collections.Generic.EqualityComparer<{type}>.Default.Equals(key{n}, original{n}))");
                    writer.WriteLine(assign("key" + n));
                    WriteIfNotNull(writer, onChanged);
                    writer.CloseBrace();
                    writer.CloseBrace();
                    break;
                case SlotKind.KeyList:
                    writer.WriteLine($"global::OfflineSync.ReferenceSlots.VisitList{typeArguments}({read}, ref visitor);");
                    break;
                case SlotKind.KeyArray:
                    writer.WriteLine($"global::OfflineSync.ReferenceSlots.VisitArray{typeArguments}({read}, ref visitor);");
                    break;
                case SlotKind.KeyIList:
                    writer.WriteLine($"global::OfflineSync.ReferenceSlots.VisitIList{typeArguments}({read}, ref visitor);");
                    break;
                case SlotKind.KeySet:
                    writer.WriteLine($"global::OfflineSync.ReferenceSlots.VisitSet{typeArguments}({read}, ref visitor);");
                    break;
                case SlotKind.KeyReadOnlyList or SlotKind.KeyReadOnlyCollection or SlotKind.KeyImmutableArray:
                    WriteReplacedKeyCollection(writer, slot, read, assign, onChanged, n);
                    break;
                case SlotKind.Nested when !nestedIsStruct:
                    writer.OpenBlock($"if ({read} is {{ }} nested{n})");
                    writer.WriteLine($"{visit}(nested{n}, ref visitor, {nextDepth});");
                    writer.CloseBrace();
                    break;
                case SlotKind.Nested or SlotKind.NullableNested:
                    if (slot.Kind == SlotKind.Nested)
                    {
                        writer.OpenBrace();
                        writer.WriteLine($"{type} nested{n} = {read};");
                    }
                    else
                    {
                        writer.OpenBlock($"if ({read} is {{ }} nested{n})");
                    }

                    writer.OpenBlock($"if ({visit}(ref nested{n}, ref visitor, {nextDepth}))");
                    writer.WriteLine(assign("nested" + n));
                    WriteIfNotNull(writer, onChanged);
                    writer.CloseBrace();
                    writer.CloseBrace();
                    break;
                case SlotKind.NestedList or SlotKind.NestedArray:
                    writer.OpenBlock($"if ({read} is {{ }} items{n})");
                    if (nestedIsStruct)
                    {
                        string span = slot.Kind == SlotKind.NestedList
                            ? $"global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items{n})"
                            : $"global::System.MemoryExtensions.AsSpan(items{n})";
                        writer.OpenBlock($"foreach (ref {type} item{n} in {span})");
                        writer.WriteLine($"{visit}(ref item{n}, ref visitor, {nextDepth});");
                    }
                    else
                    {
                        // Arrays of classes may be covariant: enumerate them, never take a span.
                        string source = slot.Kind == SlotKind.NestedList
                            ? $"global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items{n})"
                            : $"items{n}";
                        writer.OpenBlock($"foreach ({type}? item{n} in {source})");
                        writer.OpenBlock($"if (item{n} is not null)");
                        writer.WriteLine($"{visit}(item{n}, ref visitor, {nextDepth});");
                        writer.CloseBrace();
                    }

                    writer.CloseBrace();
                    writer.CloseBrace();
                    break;
                case SlotKind.NestedIList:
                    writer.OpenBlock($"if ({read} is {{ }} items{n})");
                    writer.OpenBlock($"for (int i{n} = 0; i{n} < items{n}.Count; i{n}++)");
                    if (nestedIsStruct)
                    {
                        writer.WriteLine($"{type} item{n} = items{n}[i{n}];");
                        writer.OpenBlock($"if ({visit}(ref item{n}, ref visitor, {nextDepth}))");
                        writer.WriteLine($"items{n}[i{n}] = item{n};");
                        writer.CloseBrace();
                    }
                    else
                    {
                        writer.OpenBlock($"if (items{n}[i{n}] is {{ }} item{n})");
                        writer.WriteLine($"{visit}(item{n}, ref visitor, {nextDepth});");
                        writer.CloseBrace();
                    }

                    writer.CloseBrace();
                    writer.CloseBrace();
                    break;
                case SlotKind.NestedSet:
                    // A remapped key changes the hash of an item that is equal by value: the set, which
                    // files each item under its old hash, would no longer find it, so it is refilled.
                    bool byValue = entity.Walks[slot.NestedWalk].HasValueEquality;
                    writer.OpenBlock($"if ({read} is {{ }} items{n})");
                    WriteIf(writer, byValue, $"bool rehash{n} = false;");
                    writer.OpenBlock($"foreach ({type}? item{n} in items{n})");
                    writer.OpenBlock($"if (item{n} is not null)");
                    WriteIf(writer, byValue, $"int hash{n} = item{n}.GetHashCode();");
                    writer.WriteLine($"{visit}(item{n}, ref visitor, {nextDepth});");
                    WriteIf(writer, byValue, $"rehash{n} |= item{n}.GetHashCode() != hash{n};");
                    writer.CloseBrace();
                    writer.CloseBrace();
                    if (byValue)
                    {
                        writer.WriteLine();
                        writer.OpenBlock($"if (rehash{n})");
                        writer.WriteLine($"{type}[] copy{n} = global::System.Linq.Enumerable.ToArray(items{n});");
                        writer.WriteLine($"items{n}.Clear();");
                        writer.WriteLine($"items{n}.UnionWith(copy{n});");
                        writer.CloseBrace();
                    }

                    writer.CloseBrace();
                    break;
            }
        }

        /// <summary>
        /// A read-only collection of keys: read by index, nothing allocated while no key changes; on the first
        /// change the keys are copied to a new array, which is assigned back (an immutable array wraps it).
        /// </summary>
        private static void WriteReplacedKeyCollection(SourceWriter writer, SlotModel slot, string read, Func<string, string> assign, string? onChanged, string n)
        {
            string type = slot.ValueTypeName;
            string items = "items" + n;
            string copy = "copy" + n;
            string i = "i" + n;
            string count;
            string copyAll;
            string replacement;
            if (slot.Kind == SlotKind.KeyImmutableArray)
            {
                writer.OpenBrace();
                writer.WriteLine($"global::System.Collections.Immutable.ImmutableArray<{type}> {items} = {read};");
                writer.OpenBlock($"if (!{items}.IsDefault)");
                count = items + ".Length";
                copyAll = $"{items}.AsSpan().ToArray()";
                replacement = $"global::System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray({copy})";
            }
            else
            {
                writer.OpenBlock($"if ({read} is {{ }} source{n})");
                if (slot.Kind == SlotKind.KeyReadOnlyCollection)
                {
                    // Lists and arrays are read in place; any other collection is copied once to be indexed.
                    writer.WriteLine($"global::System.Collections.Generic.IReadOnlyList<{type}> {items} = source{n} as global::System.Collections.Generic.IReadOnlyList<{type}> ?? global::System.Linq.Enumerable.ToArray(source{n});");
                }
                else
                {
                    writer.WriteLine($"global::System.Collections.Generic.IReadOnlyList<{type}> {items} = source{n};");
                }

                count = items + ".Count";
                copyAll = $"global::System.Linq.Enumerable.ToArray({items})";
                replacement = copy;
            }

            writer.WriteLine($"{type}[]? {copy} = null;");
            writer.OpenBlock($"for (int {i} = 0; {i} < {count}; {i}++)");
            if (slot.ValueIsReferenceType)
            {
                writer.OpenBlock($"if ({items}[{i}] is not {{ }} original{n})");
                writer.WriteLine("continue;");
                writer.CloseBrace();
                writer.WriteLine();
            }
            else
            {
                writer.WriteLine($"{type} original{n} = {items}[{i}];");
            }

            writer.WriteLine($"{type} key{n} = original{n};");
            writer.WriteLine($"visitor.Visit<{slot.TargetTypeName}, {type}>(ref key{n});");
            writer.OpenBlock($"if (!global::System.Collections.Generic.EqualityComparer<{type}>.Default.Equals(key{n}, original{n}))");
            writer.WriteLine($"{copy} ??= {copyAll};");
            writer.WriteLine($"{copy}[{i}] = key{n};");
            writer.CloseBrace();
            writer.CloseBrace();
            writer.WriteLine();
            writer.OpenBlock($"if ({copy} is not null)");
            writer.WriteLine(assign(replacement));
            WriteIfNotNull(writer, onChanged);
            writer.CloseBrace();
            writer.CloseBrace();
            if (slot.Kind == SlotKind.KeyImmutableArray)
            {
                writer.CloseBrace();
            }
        }

        private static void WriteIfNotNull(SourceWriter writer, string? statement) => WriteIf(writer, statement is not null, statement!);

        private static void WriteIf(SourceWriter writer, bool condition, string statement)
        {
            if (condition)
            {
                writer.WriteLine(statement);
            }
        }
    }
}
