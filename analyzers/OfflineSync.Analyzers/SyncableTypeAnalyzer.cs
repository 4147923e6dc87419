using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers;

/// <summary>
/// Checks each <c>[Syncable]</c> type itself: it is partial (OSYNC005), has a usable key (OSYNC006), is not
/// generic (OSYNC013) and has at most one usable <c>[SyncVersion]</c> (OSYNC014).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncableTypeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.TypeNotPartial,
        DiagnosticDescriptors.MissingKey,
        DiagnosticDescriptors.GenericEntity,
        DiagnosticDescriptors.UnusableVersion);

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
        ReportGeneric(context, type);
        ReportKeyProblem(context, type, known);
        ReportVersionProblems(context, type, known);
    }

    private static void ReportNotPartial(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        bool typeIsPartial = TypeRules.IsPartial(type, context.CancellationToken);
        List<string> containers = TypeRules.NonPartialContainers(type, context.CancellationToken).ConvertAll(static c => c.Name);

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

    /// <summary>OSYNC013: the generator skips an open generic type; say so instead of leaving the entity silently out.</summary>
    private static void ReportGeneric(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        if (!TypeRules.IsInGenericType(type))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.GenericEntity,
            SymbolText.NameLocation(type),
            SymbolText.Display(type),
            type.Arity > 0 ? "is generic" : "is nested in a generic type",
            type.Arity > 0
                ? $"remove [Syncable] from it and mark a non-generic class derived from it (class Order : {type.Name}<…>) [Syncable]"
                : "move it out of the generic type"));
    }

    /// <summary>OSYNC014: more than one [SyncVersion], a type the version cannot be held in, or a property the engine cannot set.</summary>
    private static void ReportVersionProblems(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
    {
        List<IPropertySymbol> versions = EntityRules.FindVersions(type, known);
        string entity = SymbolText.Display(type);
        foreach (IPropertySymbol version in versions)
        {
            (string Problem, string Fix)? problem;
            if (versions.Count > 1)
            {
                string others = string.Join(", ", versions.Where(v => !SymbolEqualityComparer.Default.Equals(v, version)).Select(static v => v.Name));
                problem = ($"is one of several [SyncVersion] properties of {entity} (with {others})", "keep [SyncVersion] on the one property that holds the server's version");
            }
            else if (EntityRules.GetVersionKind(version.Type, out _) is null)
            {
                problem = ($"is {SymbolText.Display(version.Type)}, which cannot hold the server's version", "use string, long or int (nullable or not)");
            }
            else
            {
                WriteAccess write = MemberAccess.GetWriteAccess(version, known);
                problem = MemberAccess.IsWritable(write)
                    ? null
                    : ($"{Writability.Describe(write)}, so the server's version cannot be set", Writability.Fix(write, version.ContainingType.IsRecord));
            }

            if (problem is { } found)
            {
                Location location = version.Locations.Length > 0 && version.Locations[0].IsInSource ? version.Locations[0] : SymbolText.NameLocation(type);
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnusableVersion,
                    location,
                    SymbolText.Display(version.ContainingType),
                    version.Name,
                    found.Problem,
                    found.Fix));
            }
        }
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
