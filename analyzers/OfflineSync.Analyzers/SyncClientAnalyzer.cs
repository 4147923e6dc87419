using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers;

/// <summary>
/// Checks each <c>[SyncClient]</c>: the generator can extend it (OSYNC012), and it gets at least one typed
/// set from the entities of its compilation or of the referenced assemblies (OSYNC011).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncClientAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which fix applies to OSYNC012 (<c>AddPartial</c>), when one does.</summary>
    internal const string FixProperty = "Fix";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ClientWithoutEntities,
        DiagnosticDescriptors.ClientNotGenerated);

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

            var clients = new ConcurrentBag<INamedTypeSymbol>();
            int entities = 0;
            start.RegisterSymbolAction(
                symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    if (known.IsSyncable(type))
                    {
                        System.Threading.Interlocked.Increment(ref entities);
                    }
                    else if (known.HasSyncClient(type) && ReportIfNotGenerated(symbol, type, known))
                    {
                        clients.Add(type);
                    }
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end =>
            {
                if (clients.IsEmpty || entities > 0 || ReferencedEntities.Find(known).Any())
                {
                    return;
                }

                foreach (INamedTypeSymbol client in clients.OrderBy(static c => c.ToDisplayString(), System.StringComparer.Ordinal))
                {
                    end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClientWithoutEntities, SymbolText.NameLocation(client), SymbolText.Display(client)));
                }
            });
        });
    }

    /// <summary>Reports OSYNC012 and returns false when the generator cannot extend <paramref name="type"/>.</summary>
    private static bool ReportIfNotGenerated(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
    {
        ClientProblem problem = TypeRules.CheckClient(type, known, context.CancellationToken);
        if (problem == ClientProblem.None)
        {
            return true;
        }

        List<INamedTypeSymbol> containers = TypeRules.NonPartialContainers(type, context.CancellationToken);
        string containerList = string.Join(", ", containers.Select(static c => c.Name));
        bool typeIsPartial = TypeRules.IsPartial(type, context.CancellationToken);
        (string what, string fix) = problem switch
        {
            ClientProblem.NotAClass => ($"is {Kind(type)}, but the generator adds a base class, a constructor and the typed sets to a class", "make it a partial class"),
            ClientProblem.Generic => ("is generic or nested in a generic type", "declare the client as a non-generic class"),
            ClientProblem.OtherBaseClass => ($"derives from {SymbolText.Display(type.BaseType!)}, but the generator makes SyncClient its base class", "remove the base class and hold what it gave in a field"),
            _ when !typeIsPartial && containers.Count == 0 => ("is not partial", "declare it 'partial'"),
            _ when typeIsPartial => ($"is nested in {containerList}, which {(containers.Count == 1 ? "is" : "are")} not partial", $"declare {containerList} 'partial'"),
            _ => ($"is not partial and is nested in {containerList}, which {(containers.Count == 1 ? "is" : "are")} not partial", $"declare it and {containerList} 'partial'"),
        };
        ImmutableDictionary<string, string?> properties = problem == ClientProblem.NotPartial
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, "AddPartial")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClientNotGenerated, SymbolText.NameLocation(type), properties, SymbolText.Display(type), what, fix));
        return false;
    }

    private static string Kind(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true } => "a record",
        { TypeKind: TypeKind.Struct } => "a struct",
        { TypeKind: TypeKind.Interface } => "an interface",
        { IsStatic: true } => "a static class",
        _ => "not a class",
    };
}
