using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfflineSync.Generators.Model;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    /// <summary>
    /// Turns symbols into value models. Everything the analyzers report (OSYNC001–009) is skipped
    /// here without a trace: the generator never emits code that cannot compile and never throws.
    /// </summary>
    internal sealed class Parser
    {
        // An unbounded generic expansion (Node<T> holding Node<List<T>>) must not hang the compiler.
        private const int MaxWalkTypes = 256;

        private static readonly SymbolDisplayFormat s_typeName = SymbolDisplayFormat.FullyQualifiedFormat;

        private static readonly SymbolDisplayFormat s_annotatedTypeName = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private readonly KnownTypeSymbols _known;
        private readonly CancellationToken _cancellationToken;
        private readonly List<WalkBuilder> _walks = new();
        private readonly Dictionary<ITypeSymbol, int> _walkIndex = new(SymbolEqualityComparer.Default);
        private readonly List<InitAccessorModel> _accessors = new();

        private Parser(KnownTypeSymbols known, CancellationToken cancellationToken)
        {
            _known = known;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The syntax-only predicate: a class or record declaration (the attribute filter already ran).</summary>
        public static bool IsCandidateType(SyntaxNode node, CancellationToken cancellationToken) =>
            node is ClassDeclarationSyntax or RecordDeclarationSyntax;

        public static EntityModel? ParseEntity(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.IsEmpty)
            {
                return null;
            }

            try
            {
                var parser = new Parser(new KnownTypeSymbols(context.SemanticModel.Compilation), cancellationToken);
                return parser.ParseEntity(type, context.Attributes[0]);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A model the parser does not understand is one the analyzers report; never crash the build.
                return null;
            }
        }

        public static ClientModel? ParseClient(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type
                || type.TypeKind != TypeKind.Class
                || type.IsRecord
                || type.IsStatic
                || type.IsGenericType)
            {
                return null;
            }

            // The generator adds the SyncClient base; another base class cannot be combined with it.
            INamedTypeSymbol? baseType = type.BaseType;
            if (baseType is not null
                && baseType.SpecialType != SpecialType.System_Object
                && baseType.ToDisplayString(s_typeName) != "global::OfflineSync.SyncClient")
            {
                return null;
            }

            TypeDeclarationModel? declaration = ParseDeclaration(type, cancellationToken);
            return declaration is null ? null : new ClientModel(declaration);
        }

        public static ClientEntityModel ToClientEntity(EntityModel entity)
        {
            return new ClientEntityModel(entity.Type.FullyQualifiedName, entity.Type.Name, entity.PatchFullyQualifiedName, entity.Key.TypeName, entity.Key.Kind, entity.IsPublic);
        }

        public static ClientWithEntitiesModel AttachEntities(ClientModel client, ImmutableArray<ClientEntityModel> entities)
        {
            // Two entities with the same simple name would give two sets of the same name (OSYNC009): keep the first.
            var setNames = new HashSet<string>(StringComparer.Ordinal);
            var kept = new List<ClientEntityModel>();
            foreach (ClientEntityModel entity in entities.OrderBy(static e => e.FullyQualifiedName, StringComparer.Ordinal))
            {
                if (setNames.Add(Naming.Pluralize(entity.Name)) && setNames.Add(entity.Name + "Set"))
                {
                    kept.Add(entity);
                }
            }

            return new ClientWithEntitiesModel(client, kept.ToEquatableArray());
        }

        private EntityModel? ParseEntity(INamedTypeSymbol type, AttributeData attribute)
        {
            if (type.TypeKind != TypeKind.Class || type.IsStatic || type.IsGenericType)
            {
                return null;
            }

            TypeDeclarationModel? declaration = ParseDeclaration(type, _cancellationToken);
            if (declaration is null)
            {
                return null;
            }

            string resource = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string { Length: > 0 } explicitName
                ? explicitName
                : Naming.ToCamelCase(Naming.Pluralize(type.Name));

            List<ISymbol> members = GetInstanceMembers(type);
            if (members.Concat(type.GetMembers()).Any(static m => m is not IMethodSymbol && !m.IsImplicitlyDeclared && Naming.EntityMembers.Contains(m.Name)))
            {
                return null; // OSYNC009: the generated member of that name would clash with it
            }

            KeyModel? key = ParseKey(members);
            if (key is null)
            {
                return null;
            }

            VersionModel? version = ParseVersion(members);
            EquatableArray<PatchPropertyModel> patchProperties = ParsePatchProperties(members, key, version, declaration.Name + "Patch");

            GetWalk(type);
            EquatableArray<WalkTypeModel> walks = FinishWalks();

            var used = new HashSet<string>(StringComparer.Ordinal);
            AddUsed(used, key.Write);
            AddUsed(used, version?.Write ?? MemberWrite.Direct);
            foreach (PatchPropertyModel property in patchProperties)
            {
                AddUsed(used, property.Write);
            }

            foreach (WalkTypeModel walk in walks)
            {
                foreach (SlotModel slot in walk.Slots)
                {
                    AddUsed(used, slot.Write);
                }
            }

            return new EntityModel(
                declaration,
                IsEffectivelyPublic(type),
                resource,
                key,
                version,
                patchProperties,
                walks,
                _accessors.Where(a => used.Contains(a.Name)).ToEquatableArray(),
                DerivesFromEntity(type));

            static void AddUsed(HashSet<string> used, MemberWrite write)
            {
                if (write.InitAccessor is { } name)
                {
                    used.Add(name);
                }
            }
        }

        /// <summary>Whether a base type gets the generated static members too (the same test as for the entity, short of its slots).</summary>
        private bool DerivesFromEntity(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (HasAttribute(current, _known.SyncableAttribute)
                    && !current.IsGenericType
                    && !current.IsStatic
                    && ParseDeclaration(current, _cancellationToken) is not null
                    && FindKeyType(current) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        private static TypeDeclarationModel? ParseDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (!IsPartialEverywhere(type, cancellationToken))
            {
                return null;
            }

            var containing = new List<ContainingTypeModel>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType || !IsPartialEverywhere(outer, cancellationToken))
                {
                    return null;
                }

                containing.Insert(0, new ContainingTypeModel(Keyword(outer), outer.Name));
            }

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace
                ? containingNamespace.ToDisplayString()
                : string.Empty;

            return new TypeDeclarationModel(
                ns,
                type.Name,
                Keyword(type),
                AccessibilityKeyword(type.DeclaredAccessibility),
                type.ToDisplayString(s_typeName),
                containing.ToEquatableArray());
        }

        private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                    || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Keyword(INamedTypeSymbol type) => type.TypeKind switch
        {
            TypeKind.Struct when type.IsRecord => "record struct",
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            _ when type.IsRecord => "record",
            _ => "class",
        };

        private static string AccessibilityKeyword(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "internal",
        };

        private static bool IsEffectivelyPublic(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility != Accessibility.Public)
                {
                    return false;
                }
            }

            return true;
        }

        private KeyModel? ParseKey(List<ISymbol> members)
        {
            IPropertySymbol? property = members.OfType<IPropertySymbol>().FirstOrDefault(p => HasAttribute(p, _known.SyncKeyAttribute))
                ?? members.OfType<IPropertySymbol>().FirstOrDefault(static p => p.Name == "Id");
            if (property is null || !IsReadable(property) || GetKeyKind(property.Type) is not { } kind)
            {
                return null;
            }

            MemberWrite? write = GetWrite(property);
            return write is null ? null : new KeyModel(Naming.Identifier(property.Name), property.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_annotatedTypeName), kind, write.Value);
        }

        private VersionModel? ParseVersion(List<ISymbol> members)
        {
            IPropertySymbol? property = members.OfType<IPropertySymbol>().FirstOrDefault(p => HasAttribute(p, _known.SyncVersionAttribute));
            if (property is null || property.Type.SpecialType != SpecialType.System_String || !IsReadable(property) || GetWrite(property) is not { } write)
            {
                return null;
            }

            return new VersionModel(Naming.Identifier(property.Name), property.Type.NullableAnnotation == NullableAnnotation.Annotated, write);
        }

        private EquatableArray<PatchPropertyModel> ParsePatchProperties(List<ISymbol> members, KeyModel key, VersionModel? version, string patchName)
        {
            var properties = new List<PatchPropertyModel>();
            foreach (IPropertySymbol property in members.OfType<IPropertySymbol>())
            {
                // The patch mirrors the JSON contract: public get and set (or init), not ignored;
                // a name the patch type already uses is OSYNC009.
                string name = Naming.Identifier(property.Name);
                if (name == key.PropertyName
                    || name == version?.PropertyName
                    || Naming.PatchMembers.Contains(property.Name)
                    || property.Name == patchName
                    || property.DeclaredAccessibility != Accessibility.Public
                    || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public }
                    || property.SetMethod is not { DeclaredAccessibility: Accessibility.Public }
                    || HasAttribute(property, _known.SyncIgnoreAttribute)
                    || IsJsonIgnored(property)
                    || ContainsErrorType(property.Type)
                    || GetWrite(property) is not { } write)
                {
                    continue;
                }

                (JsonValueKind jsonKind, string readerSuffix, bool nullableValue) = ClassifyJson(property.Type);
                properties.Add(new PatchPropertyModel(
                    name,
                    GetJsonName(property),
                    property.Type.ToDisplayString(s_annotatedTypeName),
                    jsonKind,
                    readerSuffix,
                    nullableValue,
                    IsScalar(property.Type),
                    write));
            }

            return properties.ToEquatableArray();
        }

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

        /// <summary>An unresolved type is the user's compile error already; repeating it in generated code only adds noise.</summary>
        private static bool ContainsErrorType(ITypeSymbol type) => type switch
        {
            { TypeKind: TypeKind.Error } => true,
            IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
            _ => false,
        };

        private static ITypeSymbol? UnwrapNullable(ITypeSymbol type) =>
            type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                ? nullable.TypeArguments[0]
                : null;

        private static bool SameType(ITypeSymbol left, ITypeSymbol right) => SymbolEqualityComparer.Default.Equals(left, right);

        private ITypeSymbol? FindKeyType(INamedTypeSymbol entity)
        {
            List<ISymbol> members = GetInstanceMembers(entity);
            IPropertySymbol? property = members.OfType<IPropertySymbol>().FirstOrDefault(p => HasAttribute(p, _known.SyncKeyAttribute))
                ?? members.OfType<IPropertySymbol>().FirstOrDefault(static p => p.Name == "Id");
            return property is not null && GetKeyKind(property.Type) is not null ? property.Type : null;
        }

        private KeyKind? GetKeyKind(ITypeSymbol type) => type.SpecialType switch
        {
            SpecialType.System_String => KeyKind.String,
            SpecialType.System_Int64 => KeyKind.Int64,
            SpecialType.System_Int32 => KeyKind.Int32,
            _ when SymbolEqualityComparer.Default.Equals(type, _known.Guid) => KeyKind.Guid,
            _ => null,
        };

        /// <summary>
        /// How generated code assigns <paramref name="member"/>: directly when it is settable from the
        /// assembly; through an <c>[UnsafeAccessor]</c> when it is an <c>init</c> member of a record
        /// (OSYNC003 reports the other cases); <see langword="null"/> when it cannot be written.
        /// </summary>
        private MemberWrite? GetWrite(ISymbol member)
        {
            switch (member)
            {
                case IFieldSymbol field:
                    return !field.IsReadOnly && !field.IsConst && IsAccessible(field) ? MemberWrite.Direct : null;
                case IPropertySymbol { SetMethod: { } setter } property:
                    if (!setter.IsInitOnly)
                    {
                        return IsAccessible(setter) ? MemberWrite.Direct : null;
                    }

                    INamedTypeSymbol owner = property.ContainingType;
                    if (!owner.IsRecord || owner.IsGenericType)
                    {
                        return null;
                    }

                    return new MemberWrite(GetInitAccessor(owner, property));
                default:
                    return null;
            }
        }

        private string GetInitAccessor(INamedTypeSymbol owner, IPropertySymbol property)
        {
            string ownerName = owner.ToDisplayString(s_typeName);
            InitAccessorModel? existing = _accessors.FirstOrDefault(a => a.OwnerTypeName == ownerName && a.MemberName == property.Name);
            if (existing is not null)
            {
                return existing.Name;
            }

            string name = "Set" + owner.Name + "_" + property.Name + "_" + _accessors.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _accessors.Add(new InitAccessorModel(name, ownerName, owner.IsValueType, property.Name, property.Type.ToDisplayString(s_annotatedTypeName)));
            return name;
        }

        private bool IsReadable(IPropertySymbol property) =>
            !property.IsIndexer && property.GetMethod is { } getter && IsAccessible(getter);

        private bool IsAccessible(ISymbol symbol) =>
            _known.Compilation.IsSymbolAccessibleWithin(symbol, _known.Compilation.Assembly);

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
            attribute is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

        private bool IsJsonIgnored(IPropertySymbol property)
        {
            AttributeData? ignore = property.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.JsonIgnoreAttribute));
            if (ignore is null)
            {
                return false;
            }

            // Only JsonIgnoreCondition.Always (1, the default) removes the property from the contract.
            foreach (KeyValuePair<string, TypedConstant> argument in ignore.NamedArguments)
            {
                if (argument.Key == "Condition" && argument.Value.Value is int condition)
                {
                    return condition == 1;
                }
            }

            return true;
        }

        private string GetJsonName(IPropertySymbol property)
        {
            AttributeData? name = property.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.JsonPropertyNameAttribute));
            return name is { ConstructorArguments.Length: 1 } && name.ConstructorArguments[0].Value is string explicitName
                ? explicitName
                : Naming.ToCamelCase(property.Name);
        }

        private (JsonValueKind Kind, string ReaderSuffix, bool NullableValue) ClassifyJson(ITypeSymbol type)
        {
            bool nullableValue = false;
            if (UnwrapNullable(type) is { } underlying)
            {
                type = underlying;
                nullableValue = true;
            }

            (JsonValueKind kind, string suffix) = type.SpecialType switch
            {
                SpecialType.System_String => (JsonValueKind.String, "String"),
                SpecialType.System_Boolean => (JsonValueKind.Boolean, "Boolean"),
                SpecialType.System_Byte => (JsonValueKind.Number, "Byte"),
                SpecialType.System_SByte => (JsonValueKind.Number, "SByte"),
                SpecialType.System_Int16 => (JsonValueKind.Number, "Int16"),
                SpecialType.System_UInt16 => (JsonValueKind.Number, "UInt16"),
                SpecialType.System_Int32 => (JsonValueKind.Number, "Int32"),
                SpecialType.System_UInt32 => (JsonValueKind.Number, "UInt32"),
                SpecialType.System_Int64 => (JsonValueKind.Number, "Int64"),
                SpecialType.System_UInt64 => (JsonValueKind.Number, "UInt64"),
                SpecialType.System_Single => (JsonValueKind.Number, "Single"),
                SpecialType.System_Double => (JsonValueKind.Number, "Double"),
                SpecialType.System_Decimal => (JsonValueKind.Number, "Decimal"),
                SpecialType.System_DateTime => (JsonValueKind.DateTime, "DateTime"),
                _ when SymbolEqualityComparer.Default.Equals(type, _known.Guid) => (JsonValueKind.Guid, "Guid"),
                _ when SymbolEqualityComparer.Default.Equals(type, _known.DateTimeOffset) => (JsonValueKind.DateTimeOffset, "DateTimeOffset"),
                _ => (JsonValueKind.Serializer, string.Empty),
            };

            return (kind, suffix, nullableValue && kind != JsonValueKind.Serializer);
        }

        /// <summary>Whether <c>Diff</c> compares the type by value; everything else is compared by its JSON form.</summary>
        private bool IsScalar(ITypeSymbol type)
        {
            type = UnwrapNullable(type) ?? type;
            if (type.TypeKind == TypeKind.Enum || ClassifyJson(type).Kind != JsonValueKind.Serializer || type.SpecialType == SpecialType.System_Char)
            {
                return true;
            }

            return SymbolEqualityComparer.Default.Equals(type, _known.TimeSpan)
                || SymbolEqualityComparer.Default.Equals(type, _known.DateOnly)
                || SymbolEqualityComparer.Default.Equals(type, _known.TimeOnly);
        }

        /// <summary>Instance properties and fields, base types first, a redeclared name replacing the base member.</summary>
        private static List<ISymbol> GetInstanceMembers(INamedTypeSymbol type)
        {
            var chain = new List<INamedTypeSymbol>();
            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
            {
                chain.Insert(0, current);
            }

            var members = new List<ISymbol>();
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (INamedTypeSymbol declaring in chain)
            {
                foreach (ISymbol member in declaring.GetMembers())
                {
                    bool candidate = member switch
                    {
                        IPropertySymbol property => !property.IsStatic && !property.IsIndexer && !(declaring.IsRecord && property.Name == "EqualityContract"),
                        IFieldSymbol field => !field.IsStatic && !field.IsConst && !field.IsImplicitlyDeclared,
                        _ => false,
                    };
                    if (!candidate)
                    {
                        continue;
                    }

                    if (positions.TryGetValue(member.Name, out int position))
                    {
                        members[position] = member;
                    }
                    else
                    {
                        positions[member.Name] = members.Count;
                        members.Add(member);
                    }
                }
            }

            return members;
        }

        private sealed class WalkBuilder
        {
            public WalkBuilder(INamedTypeSymbol type) => Type = type;

            public INamedTypeSymbol Type { get; }

            public List<SlotModel> Slots { get; } = new();
        }
    }
}
