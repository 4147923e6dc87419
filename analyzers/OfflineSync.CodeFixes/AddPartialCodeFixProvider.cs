using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfflineSync.Analyzers;

namespace OfflineSync.CodeFixes;

/// <summary>OSYNC005: adds <c>partial</c> to the <c>[Syncable]</c> type and every type containing it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFixProvider)), Shared]
public sealed class AddPartialCodeFixProvider : SyntaxCodeFixProvider
{
    /// <summary>Creates the provider.</summary>
    public AddPartialCodeFixProvider()
        : base(DiagnosticDescriptors.TypeNotPartial, "OSYNC005.AddPartial")
    {
    }

    private protected override SyntaxFix? CreateFix(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is TypeDeclarationSyntax declaration
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
