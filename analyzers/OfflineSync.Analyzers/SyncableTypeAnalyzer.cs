using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;

namespace OfflineSync.Analyzers;

/// <summary>Checks each <c>[Syncable]</c> type itself: it is partial (OSYNC005) and has a usable key (OSYNC006).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncableTypeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.TypeNotPartial,
        DiagnosticDescriptors.MissingKey);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            KnownSymbols? known = KnownSymbols.TryCreate(start.Compilation);
            if (known is not null)
            {
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, known), SymbolKind.NamedType);
            }
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.IsSyncable(type))
        {
            return;
        }

        ReportNotPartial(context, type);
        ReportKeyProblem(context, type, known);
    }

    private static void ReportNotPartial(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        bool typeIsPartial = IsPartial(type, context);
        var containers = new List<string>();
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (!IsPartial(container, context))
            {
                containers.Add(container.Name);
            }
        }

        if (typeIsPartial && containers.Count == 0)
        {
            return;
        }

        string containerList = string.Join(", ", containers);
        string problem = (typeIsPartial, containers.Count) switch
        {
            (false, 0) => "is not partial",
            (false, _) => $"is not partial and is nested in {containerList}, which {(containers.Count == 1 ? "is" : "are")} not partial",
            _ => $"is nested in {containerList}, which {(containers.Count == 1 ? "is" : "are")} not partial",
        };
        string what = (typeIsPartial, containers.Count) switch
        {
            (false, 0) => "it",
            (false, _) => "it and " + containerList,
            _ => containerList,
        };
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.TypeNotPartial,
            SymbolText.NameLocation(type),
            SymbolText.Display(type),
            problem,
            what));
    }

    private static bool IsPartial(INamedTypeSymbol type, SymbolAnalysisContext context)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        // Metadata types are not ours to fix; a type without declarations cannot be partial.
        return type.DeclaringSyntaxReferences.Length == 0;
    }

    private static void ReportKeyProblem(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
    {
        EntityKey key = EntityKey.Find(type, known);
        string name = SymbolText.Display(type);
        Location typeLocation = SymbolText.NameLocation(type);
        Location keyLocation = key.Property is { } property && property.Locations.Length > 0 && property.Locations[0].IsInSource
            ? property.Locations[0]
            : typeLocation;
        Diagnostic? diagnostic = key.Problem switch
        {
            KeyProblem.Missing => Diagnostic.Create(
                DiagnosticDescriptors.MissingKey,
                typeLocation,
                name,
                "has no key: no 'Id' property and no [SyncKey] property",
                "add an Id property of type string, Guid, long or int, or mark the key property with [SyncKey]"),
            KeyProblem.Ambiguous => Diagnostic.Create(
                DiagnosticDescriptors.MissingKey,
                typeLocation,
                name,
                $"has more than one [SyncKey] property ({key.Detail})",
                "keep [SyncKey] on the one property that is the key"),
            KeyProblem.UnsupportedType => Diagnostic.Create(
                DiagnosticDescriptors.MissingKey,
                key.Property is { } unsupported ? SymbolText.TypeLocation(unsupported, context.CancellationToken) : typeLocation,
                name,
                $"has the key {key.Property!.Name} of type {SymbolText.Display(key.Property.Type)}, which is not a supported key type",
                "use string, Guid, long or int"),
            KeyProblem.NotWritable => Diagnostic.Create(
                DiagnosticDescriptors.MissingKey,
                keyLocation,
                name,
                $"has the key {key.Property!.Name} that {Writability.Describe(key.Write)}, so the server key cannot be set",
                Writability.Fix(key.Write, key.Property.ContainingType.IsRecord)),
            _ => null,
        };
        if (diagnostic is not null)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
