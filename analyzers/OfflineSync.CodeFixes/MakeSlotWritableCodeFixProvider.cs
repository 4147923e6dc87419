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
using OfflineSync.Analyzers;

namespace OfflineSync.CodeFixes;

/// <summary>
/// OSYNC003: makes a slot writable when one accessor change is enough: adds <c>set;</c> to a get-only
/// auto-property (<c>init;</c> in a record), turns <c>init</c> into <c>set</c> outside records, or
/// removes <c>readonly</c> from a field. Computed properties and read-only collections get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeSlotWritableCodeFixProvider)), Shared]
public sealed class MakeSlotWritableCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "OSYNC003.MakeWritable";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SlotNotWritable.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(ReferenceSlotAnalyzer.WriteFixProperty, out string? fix))
            {
                continue;
            }

            SyntaxNode? node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
            (SyntaxNode Original, SyntaxNode Fixed)? change = (fix, node) switch
            {
                ("AddSetter", PropertyDeclarationSyntax property) => AddAccessor(property, SyntaxKind.SetAccessorDeclaration),
                ("AddInit", PropertyDeclarationSyntax property) => AddAccessor(property, SyntaxKind.InitAccessorDeclaration),
                ("InitToSet", PropertyDeclarationSyntax property) => InitToSet(property),
                ("RemoveReadonly", VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field }) => RemoveReadonly(field),
                _ => null,
            };
            if (change is { } c)
            {
                string title = fix switch
                {
                    "AddSetter" => "Add a setter",
                    "AddInit" => "Add an init accessor",
                    "InitToSet" => "Use 'set' instead of 'init'",
                    _ => "Remove 'readonly'",
                };
                context.RegisterCodeFix(
                    CodeAction.Create(
                        title,
                        ct =>
                        {
                            ct.ThrowIfCancellationRequested();
                            return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(c.Original, c.Fixed)));
                        },
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Only auto-properties: adding a setter to a computed property would need a body we cannot write.</summary>
    private static (SyntaxNode, SyntaxNode)? AddAccessor(PropertyDeclarationSyntax property, SyntaxKind kind)
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
        return (property, property.WithAccessorList(accessors.WithAccessors(SyntaxFactory.List(new[] { spacedGetter, added }))));
    }

    private static (SyntaxNode, SyntaxNode)? InitToSet(PropertyDeclarationSyntax property)
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
        return (property, property.ReplaceNode(init, setter));
    }

    private static (SyntaxNode, SyntaxNode)? RemoveReadonly(FieldDeclarationSyntax field)
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

        return (field, fixedField);
    }
}
