using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfflineSync.Analyzers;

namespace OfflineSync.CodeFixes;

/// <summary>
/// OSYNC003: makes a slot writable when one accessor change is enough: adds <c>set;</c> to a get-only
/// auto-property (<c>init;</c> in a record), turns <c>init</c> into <c>set</c> outside records, or
/// removes <c>readonly</c> from a field. Computed properties and read-only collections get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeSlotWritableCodeFixProvider)), Shared]
public sealed class MakeSlotWritableCodeFixProvider : SyntaxCodeFixProvider
{
    /// <summary>Creates the provider.</summary>
    public MakeSlotWritableCodeFixProvider()
        : base(DiagnosticDescriptors.SlotNotWritable, "OSYNC003.MakeWritable")
    {
    }

    private protected override SyntaxFix? CreateFix(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(ReferenceSlotAnalyzer.WriteFixProperty, out string? fix))
        {
            return null;
        }

        SyntaxNode? node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        (string Title, SyntaxNode Original, SyntaxNode Fixed)? change = (fix, node) switch
        {
            ("AddSetter", PropertyDeclarationSyntax property) => AddAccessor("Add a setter", property, SyntaxKind.SetAccessorDeclaration),
            ("AddInit", PropertyDeclarationSyntax property) => AddAccessor("Add an init accessor", property, SyntaxKind.InitAccessorDeclaration),
            ("InitToSet", PropertyDeclarationSyntax property) => InitToSet(property),
            ("RemoveReadonly", VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field }) => RemoveReadonly(field),
            _ => null,
        };
        return change is { } c ? new SyntaxFix(c.Title, () => root.ReplaceNode(c.Original, c.Fixed)) : null;
    }

    /// <summary>Only auto-properties: adding a setter to a computed property would need a body we cannot write.</summary>
    private static (string, SyntaxNode, SyntaxNode)? AddAccessor(string title, PropertyDeclarationSyntax property, SyntaxKind kind)
    {
        if (property.AccessorList is not { } accessors
            || accessors.Accessors.Count != 1
            || accessors.Accessors[0] is not { Body: null, ExpressionBody: null } getter
            || !getter.IsKind(SyntaxKind.GetAccessorDeclaration))
        {
            return null;
        }

        AccessorDeclarationSyntax added = SyntaxFactory.AccessorDeclaration(kind)
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.SemicolonToken, getter.GetTrailingTrivia()));
        AccessorDeclarationSyntax spacedGetter = getter.WithTrailingTrivia(SyntaxFactory.Space);
        return (title, property, property.WithAccessorList(accessors.WithAccessors(SyntaxFactory.List(new[] { spacedGetter, added }))));
    }

    private static (string, SyntaxNode, SyntaxNode)? InitToSet(PropertyDeclarationSyntax property)
    {
        AccessorDeclarationSyntax? init = property.AccessorList?.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.InitAccessorDeclaration));
        if (init is null)
        {
            return null;
        }

        AccessorDeclarationSyntax setter = SyntaxFactory.AccessorDeclaration(
            SyntaxKind.SetAccessorDeclaration,
            init.AttributeLists,
            init.Modifiers,
            SyntaxFactory.Token(init.Keyword.LeadingTrivia, SyntaxKind.SetKeyword, init.Keyword.TrailingTrivia),
            init.Body,
            init.ExpressionBody,
            init.SemicolonToken);
        return ("Use 'set' instead of 'init'", property, property.ReplaceNode(init, setter));
    }

    private static (string, SyntaxNode, SyntaxNode)? RemoveReadonly(FieldDeclarationSyntax field)
    {
        int index = field.Modifiers.IndexOf(SyntaxKind.ReadOnlyKeyword);
        if (index < 0)
        {
            return null;
        }

        SyntaxToken readOnly = field.Modifiers[index];
        SyntaxTokenList modifiers = field.Modifiers.RemoveAt(index);
        FieldDeclarationSyntax fixedField = field.WithModifiers(modifiers);
        if (index == 0)
        {
            // The indentation (and any comment) sat on 'readonly': it moves to the next token.
            fixedField = modifiers.Count > 0
                ? fixedField.WithModifiers(modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(readOnly.LeadingTrivia)))
                : fixedField.WithDeclaration(fixedField.Declaration.WithLeadingTrivia(readOnly.LeadingTrivia));
        }

        return ("Remove 'readonly'", field, fixedField);
    }
}
