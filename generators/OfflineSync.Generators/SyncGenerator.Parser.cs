using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfflineSync.Generators.Model;
using OfflineSync.Shared;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    /// <summary>
    /// Turns symbols into value models. Everything the analyzers report (OSYNC001–009) is skipped
    /// here without a trace: the generator never emits code that cannot compile and never throws.
    /// </summary>
    internal sealed partial class Parser
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
        private readonly List<SetterAccessorModel> _accessors = new();

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
            // OSYNC012 reports a class the generator cannot extend.
            if (context.TargetSymbol is not INamedTypeSymbol type
                || TypeRules.CheckClient(type, new SyncSymbols(context.SemanticModel.Compilation), cancellationToken) != ClientProblem.None)
            {
                return null;
            }

            TypeDeclarationModel? declaration = ParseDeclaration(type, cancellationToken);
            return declaration is null ? null : new ClientModel(declaration);
        }

        /// <summary>
        /// The entities of the referenced assemblies, from their <c>[assembly: SyncableType(typeof(X))]</c> listings.
        /// Reads only assembly attributes, and only when the references or the declarations changed (<see cref="ParseCache"/>);
        /// its model compares equal as long as the references do, so nothing after it re-runs.
        /// </summary>
        public static EquatableArray<ClientEntityModel> ParseReferencedEntities(Compilation compilation, CancellationToken cancellationToken)
        {
            var symbols = new SyncSymbols(compilation);
            var entities = new List<ClientEntityModel>();
            foreach (INamedTypeSymbol entity in ReferencedEntities.Find(symbols))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entity.IsGenericType
                    || EntityRules.FindKey(entity, symbols).Key is not { } key
                    || EntityRules.GetKeyKind(key.Type, symbols) is not { } kind
                    || !ImplementsSyncEntity(entity)
                    || FindPatchType(entity) is not { } patch)
                {
                    continue;
                }

                entities.Add(new ClientEntityModel(
                    entity.ToDisplayString(s_typeName),
                    entity.Name,
                    patch.ToDisplayString(s_typeName),
                    key.Type.ToDisplayString(s_typeName),
                    kind,
                    IsEffectivelyPublic(entity)));
            }

            return entities.OrderBy(static e => e.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray();

            static bool ImplementsSyncEntity(INamedTypeSymbol entity) =>
                entity.AllInterfaces.Any(i => i is { Name: "ISyncEntity", Arity: 1, ContainingNamespace.Name: "OfflineSync" } && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], entity));

            static INamedTypeSymbol? FindPatchType(INamedTypeSymbol entity)
            {
                INamespaceOrTypeSymbol container = (INamespaceOrTypeSymbol?)entity.ContainingType ?? entity.ContainingNamespace;
                return container.GetTypeMembers(SyncNaming.PatchType(entity.Name)).FirstOrDefault(static t => t.Arity == 0);
            }
        }

        /// <summary>A <c>JsonSerializerContext</c> the generated code can take entities' metadata from, with the types it lists.</summary>
        public static JsonContextModel? ParseJsonContext(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbols = new SyncSymbols(context.SemanticModel.Compilation);
            if (context.TargetSymbol is not INamedTypeSymbol type || !JsonContexts.IsUsable(type, symbols, cancellationToken))
            {
                return null;
            }

            // All the attributes of the type, not only those of this declaration: every part yields the same model.
            string[] listed = JsonContexts.ListedTypes(type, symbols)
                .Select(static t => t.ToDisplayString(s_typeName))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(static t => t, StringComparer.Ordinal)
                .ToArray();
            return new JsonContextModel(type.ToDisplayString(s_typeName), new EquatableArray<string>(listed));
        }

        public static EquatableArray<JsonContextModel> SortJsonContexts(ImmutableArray<JsonContextModel> contexts, CancellationToken cancellationToken) =>
            contexts.Distinct().OrderBy(static c => c.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray();

        /// <summary>The entity with the first context (by name) that lists it: its JSON then needs no reflection.</summary>
        public static EntityModel AttachJsonContext(EntityModel entity, EquatableArray<JsonContextModel> contexts)
        {
            foreach (JsonContextModel context in contexts)
            {
                if (context.ListedTypes.Contains(entity.Type.FullyQualifiedName))
                {
                    return entity with { JsonContext = context.FullyQualifiedName };
                }
            }

            return entity;
        }

        public static ClientEntityModel ToClientEntity(EntityModel entity)
        {
            return new ClientEntityModel(entity.Type.FullyQualifiedName, entity.Type.Name, entity.PatchFullyQualifiedName, entity.Key.TypeName, entity.Key.Kind, entity.IsPublic);
        }

        public static ClientWithEntitiesModel AttachEntities(ClientModel client, ImmutableArray<ClientEntityModel> entities, EquatableArray<ClientEntityModel> referenced)
        {
            // Two entities with the same simple name would give two sets of the same name (OSYNC009): keep the
            // first, the compilation's own before those of references.
            var setNames = new HashSet<string>(StringComparer.Ordinal);
            var kept = new List<ClientEntityModel>();
            foreach (ClientEntityModel entity in entities.OrderBy(static e => e.FullyQualifiedName, StringComparer.Ordinal).Concat(referenced))
            {
                if (setNames.Add(SyncNaming.SetProperty(entity.Name)) && setNames.Add(SyncNaming.SetType(entity.Name)))
                {
                    kept.Add(entity);
                }
            }

            return new ClientWithEntitiesModel(client, kept.OrderBy(static e => e.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray());
        }

        private EntityModel? ParseEntity(INamedTypeSymbol type, AttributeData attribute)
        {
            // OSYNC013 reports a generic entity; a struct or a static class cannot implement ISyncEntity<T>.
            if (type.TypeKind != TypeKind.Class || type.IsStatic || type.IsGenericType)
            {
                return null;
            }

            TypeDeclarationModel? declaration = ParseDeclaration(type, _cancellationToken);
            if (declaration is null)
            {
                return null;
            }

            string resource = SyncSymbols.ResourceName(type, attribute);

            List<ISymbol> members = GetInstanceMembers(type);
            if (members.Concat(type.GetMembers()).Any(static m => m is not IMethodSymbol && !m.IsImplicitlyDeclared && SyncNaming.EntityMembers.Contains(m.Name)))
            {
                return null; // OSYNC009: the generated member of that name would clash with it
            }

            KeyModel? key = ParseKey(type);
            if (key is null)
            {
                return null;
            }

            VersionModel? version = ParseVersion(type);
            EquatableArray<PatchPropertyModel> patchProperties = ParsePatchProperties(members, key, version, SyncNaming.PatchType(declaration.Name));

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
                ParseIgnoredJsonMembers(type),
                DerivesFromEntity(type));

            static void AddUsed(HashSet<string> used, MemberWrite write)
            {
                if (write.Accessor is { } name)
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
                if (_known.IsSyncable(current)
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
            if (!TypeRules.IsPartial(type, cancellationToken))
            {
                return null;
            }

            var containing = new List<ContainingTypeModel>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType || !TypeRules.IsPartial(outer, cancellationToken))
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

        private KeyModel? ParseKey(INamedTypeSymbol type)
        {
            // OSYNC006 reports a missing, ambiguous, unsupported or unwritable key.
            IPropertySymbol? property = EntityRules.FindKey(type, _known).Key;
            if (property is null || !MemberAccess.IsReadable(property, _known) || EntityRules.GetKeyKind(property.Type, _known) is not { } kind)
            {
                return null;
            }

            MemberWrite? write = GetWrite(property);
            return write is null ? null : new KeyModel(SyncNaming.Identifier(property.Name), property.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_annotatedTypeName), kind, write.Value);
        }

        private VersionModel? ParseVersion(INamedTypeSymbol type)
        {
            // OSYNC014 reports more than one, an unsupported type, or one the engine cannot write.
            List<IPropertySymbol> versions = EntityRules.FindVersions(type, _known);
            if (versions.Count != 1
                || EntityRules.GetVersionKind(versions[0].Type, out bool isNullable) is not { } kind
                || !MemberAccess.IsReadable(versions[0], _known)
                || GetWrite(versions[0]) is not { } write)
            {
                return null;
            }

            return new VersionModel(SyncNaming.Identifier(versions[0].Name), kind, isNullable, write);
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

        private ITypeSymbol? FindKeyType(INamedTypeSymbol entity) =>
            EntityRules.FindKey(entity, _known).Key is { } property && EntityRules.GetKeyKind(property.Type, _known) is not null ? property.Type : null;

        /// <summary>
        /// How generated code assigns <paramref name="member"/>: directly when it is settable from the assembly;
        /// through an <c>[UnsafeAccessor]</c> for an <c>init</c> member of a record or a private or protected
        /// setter; <see langword="null"/> when it cannot be written (OSYNC003 and OSYNC006 report it).
        /// </summary>
        private MemberWrite? GetWrite(ISymbol member) => MemberAccess.GetWriteAccess(member, _known) switch
        {
            WriteAccess.Direct => MemberWrite.Direct,
            WriteAccess.Accessor when member is IPropertySymbol property => new MemberWrite(GetSetterAccessor(property)),
            _ => null,
        };

        private string GetSetterAccessor(IPropertySymbol property)
        {
            INamedTypeSymbol owner = property.ContainingType;
            string ownerName = owner.ToDisplayString(s_typeName);
            SetterAccessorModel? existing = _accessors.FirstOrDefault(a => a.OwnerTypeName == ownerName && a.MemberName == property.Name);
            if (existing is not null)
            {
                return existing.Name;
            }

            string name = "Set" + owner.Name + "_" + property.Name + "_" + _accessors.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _accessors.Add(new SetterAccessorModel(name, ownerName, owner.IsValueType, property.Name, property.Type.ToDisplayString(s_annotatedTypeName)));
            return name;
        }

        private bool IsReadable(IPropertySymbol property) => MemberAccess.IsReadable(property, _known);

        private bool IsAccessible(ISymbol symbol) => _known.IsAccessibleInAssembly(symbol);

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) => SyncSymbols.HasAttribute(symbol, attribute);

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
    }
}
