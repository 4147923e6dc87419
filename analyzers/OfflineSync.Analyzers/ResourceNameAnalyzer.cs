using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers;

/// <summary>
/// OSYNC009: two <c>[Syncable]</c> types share a resource name, a type the generator emits
/// (<c>TPatch</c>, <c>CreateT</c>, <c>UpdateT</c>, <c>DeleteT</c>) clashes with another type, or a member
/// of an entity is named like one the generator adds to it or to its patch.
/// </summary>
/// <remarks>The only rule that needs every entity of the compilation: it collects them, then compares once at the end.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResourceNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NameCollision);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            KnownSymbols? known = KnownSymbols.TryCreate(start.Compilation);
            if (known is null)
            {
                return;
            }

            var entities = new ConcurrentBag<Entity>();
            var clients = new ConcurrentBag<INamedTypeSymbol>();
            start.RegisterSymbolAction(
                symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    if (known.GetSyncableAttribute(type) is { } attribute && !type.IsGenericType)
                    {
                        entities.Add(new Entity(type, SyncSymbols.ResourceName(type, attribute), SymbolText.AttributeLocation(attribute, type, symbol.CancellationToken)));
                    }
                    else if (known.HasSyncClient(type))
                    {
                        clients.Add(type);
                    }
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end =>
            {
                Entity[] sorted = entities.OrderBy(e => e.Type.ToDisplayString(), StringComparer.Ordinal).ToArray();
                ReportShared(end, sorted, e => e.Resource, (entity, others, resource) => $"[Syncable] {entity} and {others} share the resource name '{resource}'", "give each its own name with [Syncable(\"...\")]");
                if (!clients.IsEmpty)
                {
                    // The typed client names its sets after the entity's simple name (Todos, TodoSet).
                    ReportShared(end, sorted, e => e.Type.Name, (entity, others, _) => $"[Syncable] {entity} and {others} have the same name, so their typed sets on the [SyncClient] would too", "rename one of them");
                }

                ReportGeneratedNameClashes(end, sorted, known);
                ReportGeneratedMemberClashes(end, sorted, known);
            });
        });
    }

    private static void ReportShared(
        CompilationAnalysisContext context,
        Entity[] entities,
        Func<Entity, string> name,
        Func<string, string, string, string> problem,
        string fix)
    {
        foreach (IGrouping<string, Entity> group in entities.GroupBy(name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (Entity entity in group)
            {
                string others = string.Join(", ", group.Where(e => !ReferenceEquals(e, entity)).Select(e => Display(e.Type)));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NameCollision, entity.Location, problem(Display(entity.Type), others, group.Key), fix));
            }
        }

        // Same-named entities live in different namespaces: name them in full there.
        string Display(INamedTypeSymbol type) =>
            entities.Count(e => e.Type.Name == type.Name) > 1 ? type.ToDisplayString() : SymbolText.Display(type);
    }

    private static void ReportGeneratedNameClashes(CompilationAnalysisContext context, Entity[] entities, KnownSymbols known)
    {
        foreach (Entity entity in entities)
        {
            INamespaceOrTypeSymbol container = (INamespaceOrTypeSymbol?)entity.Type.ContainingType ?? entity.Type.ContainingNamespace;
            string name = entity.Type.Name;
            foreach ((string generated, string role) in SyncNaming.CompanionTypes(name))
            {
                foreach (INamedTypeSymbol clash in container.GetTypeMembers(generated))
                {
                    Location? location = ClashLocation(clash, known, context.CancellationToken);
                    if (location is not null)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.NameCollision,
                            location,
                            $"{SymbolText.Display(clash)} collides with the {role} the generator emits for [Syncable] {SymbolText.Display(entity.Type)}",
                            $"rename {clash.Name}, or rename {name}"));
                    }
                }
            }
        }
    }

    /// <summary>Members of an entity named like a member the generator adds to the entity or its patch.</summary>
    private static void ReportGeneratedMemberClashes(CompilationAnalysisContext context, Entity[] entities, KnownSymbols known)
    {
        foreach (Entity entity in entities)
        {
            foreach ((ISymbol member, string generated, bool inPatch) in GeneratedMembers.FindClashes(entity.Type, known, context.CancellationToken))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NameCollision,
                    SymbolText.NameLocation(member),
                    $"{SymbolText.Display(member.ContainingType)}.{member.Name} collides with {generated}, which the generator emits for [Syncable] {SymbolText.Display(entity.Type)}",
                    inPatch ? $"rename {member.Name}, or mark it [SyncIgnore]" : $"rename {member.Name}"));
            }
        }
    }

    /// <summary>
    /// Where a type clashes with a generated one: another entity always does; an app type does when one of
    /// its own declarations is not partial (a partial declaration deliberately extends the generated type).
    /// </summary>
    private static Location? ClashLocation(INamedTypeSymbol clash, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (clash.Arity != 0)
        {
            return null;
        }

        bool isEntity = known.IsSyncable(clash);
        foreach (SyntaxReference reference in clash.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not BaseTypeDeclarationSyntax declaration || GeneratedCode.IsGenerated(reference.SyntaxTree, cancellationToken))
            {
                continue;
            }

            if (isEntity || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return null;
    }

    private sealed class Entity
    {
        public Entity(INamedTypeSymbol type, string resource, Location location)
        {
            Type = type;
            Resource = resource;
            Location = location;
        }

        public INamedTypeSymbol Type { get; }

        public string Resource { get; }

        public Location Location { get; }
    }
}
