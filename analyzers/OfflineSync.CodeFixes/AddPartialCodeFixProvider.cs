using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfflineSync.Analyzers;

namespace OfflineSync.CodeFixes;

/// <summary>
/// OSYNC005 and OSYNC012: adds <c>partial</c> to the <c>[Syncable]</c> or <c>[SyncClient]</c> type and every
/// type containing it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFixProvider)), Shared]
public sealed class AddPartialCodeFixProvider : SyntaxCodeFixProvider
{
    /// <summary>Creates the provider.</summary>
    public AddPartialCodeFixProvider()
        : base(ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartial.Id, DiagnosticDescriptors.ClientNotGenerated.Id), "OSYNC005.AddPartial")
    {
    }

    // OSYNC012 has other causes (a record, a base class) that 'partial' does not fix: the analyzer marks the one it does.
    private protected override SyntaxFix? CreateFix(SyntaxNode root, Diagnostic diagnostic) =>
        (diagnostic.Id == DiagnosticDescriptors.TypeNotPartial.Id
            || (diagnostic.Properties.TryGetValue(SyncClientAnalyzer.FixProperty, out string? fix) && fix == "AddPartial"))
        && root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is TypeDeclarationSyntax declaration
            ? new SyntaxFix("Make the type and its containing types partial", () => Fix(root, declaration))
            : null;

    private static SyntaxNode Fix(SyntaxNode root, TypeDeclarationSyntax declaration)
    {
        TypeDeclarationSyntax[] targets = declaration.AncestorsAndSelf()
            .OfType<TypeDeclarationSyntax>()
            .Where(type => !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            .ToArray();
        return root.ReplaceNodes(targets, (_, rewritten) => AddPartial(rewritten));
    }

    /// <summary>'partial' goes last among the modifiers, right before the type keyword, as the language requires.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Count == 0)
        {
            SyntaxToken keyword = type.Keyword;
            SyntaxToken partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return type.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return type.WithModifiers(type.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
