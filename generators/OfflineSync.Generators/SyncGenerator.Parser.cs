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
