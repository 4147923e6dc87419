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

namespace OfflineSync.Analyzers;

/// <summary>
/// OSYNC009: two <c>[Syncable]</c> types share a resource name, or a type the generator emits
/// (<c>TPatch</c>, <c>CreateT</c>, <c>UpdateT</c>, <c>DeleteT</c>) clashes with another type.
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
            start.RegisterSymbolAction(
                symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    if (known.GetSyncableAttribute(type) is { } attribute && !type.IsGenericType)
                    {
                        string resource = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string explicitName
                            ? explicitName
                            : ResourceNames.Default(type.Name);
                        entities.Add(new Entity(type, resource, SymbolText.AttributeLocation(attribute, type, symbol.CancellationToken)));
                    }
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end =>
            {
                Entity[] sorted = entities.OrderBy(e => e.Type.ToDisplayString(), StringComparer.Ordinal).ToArray();
                ReportSharedResources(end, sorted);
                ReportGeneratedNameClashes(end, sorted, known);
            });
        });
    }

    private static void ReportSharedResources(CompilationAnalysisContext context, Entity[] entities)
    {
        foreach (IGrouping<string, Entity> group in entities.GroupBy(e => e.Resource, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (Entity entity in group)
            {
                string others = string.Join(", ", group.Where(e => !ReferenceEquals(e, entity)).Select(e => SymbolText.Display(e.Type)));
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NameCollision,
                    entity.Location,
                    $"[Syncable] {SymbolText.Display(entity.Type)} and {others} share the resource name '{group.Key}'",
                    "give each its own name with [Syncable(\"...\")]"));
            }
        }
    }

    private static void ReportGeneratedNameClashes(CompilationAnalysisContext context, Entity[] entities, KnownSymbols known)
    {
        foreach (Entity entity in entities)
        {
            INamespaceOrTypeSymbol container = (INamespaceOrTypeSymbol?)entity.Type.ContainingType ?? entity.Type.ContainingNamespace;
            string name = entity.Type.Name;
            foreach ((string generated, string role) in new[]
            {
                (name + "Patch", "patch type"),
                ("Create" + name, "create mutation"),
                ("Update" + name, "update mutation"),
                ("Delete" + name, "delete mutation"),
            })
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
