using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using OfflineSync.Analyzers;

namespace OfflineSync.CodeFixes;

/// <summary>
/// OSYNC010: lists the entity in the project's <c>JsonSerializerContext</c> with
/// <c>[JsonSerializable(typeof(X))]</c>, or, when the project has none, adds a file declaring one.
/// </summary>
/// <remarks>The change is in another document than the diagnostic, so there is no fix-all: fix each entity.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFixProvider)), Shared]
public sealed class AddJsonSerializableCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.MissingJsonMetadata.Id);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Compilation? compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        if (compilation is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(JsonContractAnalyzer.EntityProperty, out string? entityName)
                || Find(compilation, entityName!, context.CancellationToken) is not { } entity)
            {
                continue;
            }

            if (diagnostic.Properties.TryGetValue(JsonContractAnalyzer.ContextProperty, out string? contextName)
                && Find(compilation, contextName!, context.CancellationToken) is { DeclaringSyntaxReferences.Length: > 0 } jsonContext)
            {
                string title = "Add [JsonSerializable(typeof(" + entity.Name + "))] to " + jsonContext.Name;
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => AddToContextAsync(context.Document.Project.Solution, jsonContext, entityName!, ct), "OSYNC010.AddToContext." + entityName),
                    diagnostic);
            }
            else
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Add a JsonSerializerContext listing " + entity.Name, ct => Task.FromResult(AddContext(context.Document.Project, entity)), "OSYNC010.AddContext." + entityName),
                    diagnostic);
            }
        }
    }

    private static INamedTypeSymbol? Find(Compilation compilation, string fullyQualifiedName, CancellationToken cancellationToken)
    {
        string simpleName = fullyQualifiedName.Substring(fullyQualifiedName.LastIndexOf('.') + 1);
        return compilation.GetSymbolsWithName(simpleName, SymbolFilter.Type, cancellationToken)
            .OfType<INamedTypeSymbol>()
            .FirstOrDefault(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == fullyQualifiedName);
    }

    private static async Task<Solution> AddToContextAsync(Solution solution, INamedTypeSymbol jsonContext, string entityName, CancellationToken cancellationToken)
    {
        SyntaxReference reference = jsonContext.DeclaringSyntaxReferences[0];
        Document? document = solution.GetDocument(reference.SyntaxTree);
        SyntaxNode? root = await reference.SyntaxTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        if (document is null || await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not TypeDeclarationSyntax declaration)
        {
            return solution;
        }

        AttributeListSyntax attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("global::System.Text.Json.Serialization.JsonSerializable").WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                    SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(entityName).WithAdditionalAnnotations(Simplifier.Annotation))))))));

        return solution.WithDocumentSyntaxRoot(document.Id, AttributeInsertion.Add(root, declaration, attribute));
    }

    private static Solution AddContext(Project project, INamedTypeSymbol entity)
    {
        string ns = entity.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : string.Empty;
        string nested = string.Join(".", ContainersAndSelf(entity));
        string text =
            "using System.Text.Json.Serialization;\n\n"
            + (ns.Length > 0 ? "namespace " + ns + ";\n\n" : string.Empty)
            + "/// <summary>The JSON metadata of the synced entities: no reflection, so the app can be trimmed or compiled ahead of time.</summary>\n"
            + "[JsonSerializable(typeof(" + nested + "))]\n"
            + "internal sealed partial class SyncJsonContext : JsonSerializerContext\n{\n}\n";
        Document added = project.AddDocument("SyncJsonContext.cs", text);
        return added.Project.Solution;
    }

    private static IEnumerable<string> ContainersAndSelf(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            names.Insert(0, current.Name);
        }

        return names;
    }
}
