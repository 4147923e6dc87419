using System;
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
/// OSYNC010: in a project analyzed for trimming or Native AOT (<c>IsAotCompatible</c>, <c>PublishAot</c>,
/// <c>PublishTrimmed</c>, <c>EnableTrimAnalyzer</c>, <c>EnableAotAnalyzer</c>), an entity that no
/// <c>JsonSerializerContext</c> of the project lists: its generated JSON contract would need reflection.
/// </summary>
/// <remarks>
/// Other projects are not told: there reflection works, and the warning would only be noise. The trim
/// analyzers make <c>EnableTrimAnalyzer</c> and <c>EnableAotAnalyzer</c> visible to analyzers.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JsonContractAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the fully qualified entity (OSYNC010).</summary>
    internal const string EntityProperty = "Entity";

    /// <summary>Diagnostic property: the fully qualified context the code fix adds the entity to, when the project has one.</summary>
    internal const string ContextProperty = "Context";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.MissingJsonMetadata);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            KnownSymbols? known = KnownSymbols.TryCreate(start.Compilation);
            if (known?.JsonSerializerContext is null || !IsAnalyzedForTrimming(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
            {
                return;
            }

            var entities = new ConcurrentBag<INamedTypeSymbol>();
            var contexts = new ConcurrentBag<INamedTypeSymbol>();
            start.RegisterSymbolAction(
                symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    if (known.IsSyncable(type))
                    {
                        // A generic entity is OSYNC013, a struct never gets generated code: neither needs JSON.
                        if (type.TypeKind == TypeKind.Class && !TypeRules.IsInGenericType(type))
                        {
                            entities.Add(type);
                        }
                    }
                    else if (JsonContexts.IsUsable(type, known, symbol.CancellationToken))
                    {
                        contexts.Add(type);
                    }
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => Report(end, known, entities, contexts));
        });
    }

    private static bool IsAnalyzedForTrimming(AnalyzerConfigOptions options) =>
        IsTrue(options, "build_property.EnableTrimAnalyzer") || IsTrue(options, "build_property.EnableAotAnalyzer");

    private static bool IsTrue(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out string? value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static void Report(CompilationAnalysisContext context, KnownSymbols known, IEnumerable<INamedTypeSymbol> entities, IEnumerable<INamedTypeSymbol> contexts)
    {
        INamedTypeSymbol[] sortedContexts = contexts.OrderBy(static c => c.ToDisplayString(), StringComparer.Ordinal).ToArray();
        var listed = new HashSet<ITypeSymbol>(sortedContexts.SelectMany(c => JsonContexts.ListedTypes(c, known)), SymbolEqualityComparer.Default);
        INamedTypeSymbol? firstContext = sortedContexts.FirstOrDefault();
        foreach (INamedTypeSymbol entity in entities.OrderBy(static e => e.ToDisplayString(), StringComparer.Ordinal))
        {
            if (listed.Contains(entity))
            {
                continue;
            }

            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(EntityProperty, SymbolText.FullyQualified(entity));
            string fix;
            if (firstContext is not null)
            {
                properties = properties.Add(ContextProperty, SymbolText.FullyQualified(firstContext));
                fix = $"add [JsonSerializable(typeof({entity.Name}))] to {SymbolText.Display(firstContext)}";
            }
            else
            {
                fix = $"declare a JsonSerializerContext with [JsonSerializable(typeof({entity.Name}))] in this project";
            }

            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingJsonMetadata, SymbolText.NameLocation(entity), properties, SymbolText.Display(entity), fix));
        }
    }
}
