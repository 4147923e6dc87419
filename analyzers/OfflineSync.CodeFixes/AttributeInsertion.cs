using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OfflineSync.CodeFixes;

/// <summary>Adds an attribute to a declaration the way a person would: on its own line, after the existing ones, indented like the declaration.</summary>
internal static class AttributeInsertion
{
    public static SyntaxNode Add(SyntaxNode root, MemberDeclarationSyntax declaration, AttributeListSyntax attribute)
    {
        SyntaxTriviaList leading = declaration.GetLeadingTrivia();
        SyntaxTrivia indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia) ? leading.Last() : default;
        SyntaxTriviaList indent = indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation);
        SyntaxTrivia newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine == default)
        {
            newLine = SyntaxFactory.ElasticCarriageReturnLineFeed;
        }

        MemberDeclarationSyntax fixedDeclaration = declaration.AttributeLists.Count == 0
            ? declaration.WithLeadingTrivia(indent).AddAttributeLists(attribute.WithLeadingTrivia(leading).WithTrailingTrivia(newLine))
            : declaration.AddAttributeLists(attribute.WithLeadingTrivia(indent).WithTrailingTrivia(newLine));
        return root.ReplaceNode(declaration, fixedDeclaration);
    }
}
