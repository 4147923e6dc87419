using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using OfflineSync.Analyzers;

namespace OfflineSync.CodeFixes;

/// <summary>OSYNC007: declares the forgotten foreign key with <c>[References(typeof(X))]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddReferencesCodeFixProvider)), Shared]
public sealed class AddReferencesCodeFixProvider : SyntaxCodeFixProvider
{
    /// <summary>Creates the provider.</summary>
    public AddReferencesCodeFixProvider()
        : base(DiagnosticDescriptors.LikelyMissingReferences, "OSYNC007.AddReferences")
    {
    }

    private protected override SyntaxFix? CreateFix(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(ReferenceGraphAnalyzer.TargetProperty, out string? target)
        && target is not null
        && root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is PropertyDeclarationSyntax property
            ? new SyntaxFix("Add [References]", () => Fix(root, property, target))
            : null;

    private static SyntaxNode Fix(SyntaxNode root, PropertyDeclarationSyntax property, string target)
    {
        AttributeListSyntax attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("global::OfflineSync.References").WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                    SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(target).WithAdditionalAnnotations(Simplifier.Annotation))))))));

        return AttributeInsertion.Add(root, property, attribute);
    }
}
