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

/// <summary>OSYNC007: declares the forgotten foreign key with <c>[References(typeof(X))]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddReferencesCodeFixProvider)), Shared]
public sealed class AddReferencesCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "OSYNC007.AddReferences";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.LikelyMissingReferences.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(ReferenceGraphAnalyzer.TargetProperty, out string? target)
                && target is not null
                && root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is PropertyDeclarationSyntax property)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Add [References]", ct => FixAsync(context.Document, root, property, target, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static Task<Document> FixAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax property, string target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AttributeListSyntax attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("global::OfflineSync.References").WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                    SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(target).WithAdditionalAnnotations(Simplifier.Annotation))))))));

        // The new attribute takes its own line, indented like the property.
        SyntaxTriviaList leading = property.GetLeadingTrivia();
        SyntaxTrivia indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia) ? leading.Last() : default;
        SyntaxTriviaList indent = indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation);
        SyntaxTrivia newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine == default)
        {
            newLine = SyntaxFactory.ElasticCarriageReturnLineFeed;
        }

        PropertyDeclarationSyntax fixedProperty = property.AttributeLists.Count == 0
            ? property.WithLeadingTrivia(indent).AddAttributeLists(attribute.WithLeadingTrivia(leading).WithTrailingTrivia(newLine))
            : property.AddAttributeLists(attribute.WithLeadingTrivia(indent).WithTrailingTrivia(newLine));
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(property, fixedProperty)));
    }
}
