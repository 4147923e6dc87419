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
/// OSYNC002: changes the slot to the referenced key type, keeping its shape: <c>int?</c> becomes
/// <c>string?</c>, <c>List&lt;int&gt;</c> becomes <c>List&lt;string&gt;</c>, <c>int[]</c> becomes <c>string[]</c>.
/// </summary>
/// <remarks>
/// An initializer written for the old type is adjusted so the fixed code compiles: the old element type is
/// replaced inside it (<c>new List&lt;int&gt;()</c>), a scalar initializer becomes <c>""</c> for a
/// non-nullable string and is dropped otherwise (the default of a value type, or null).
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChangeSlotTypeCodeFixProvider)), Shared]
public sealed class ChangeSlotTypeCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "OSYNC002.ChangeSlotType";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SlotTypeMismatch.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(ReferenceSlotAnalyzer.KeyTypeProperty, out string? keyType)
                && keyType is not null
                && root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is TypeSyntax slotType)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use the referenced key type", ct => FixAsync(context.Document, root, slotType, keyType, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static Task<Document> FixAsync(Document document, SyntaxNode root, TypeSyntax slotType, string keyTypeName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TypeSyntax key = SyntaxFactory.ParseTypeName(keyTypeName).WithAdditionalAnnotations(Simplifier.Annotation);
        (TypeSyntax newType, TypeSyntax? oldElement, bool isScalar) = Reshape(slotType, key);
        newType = newType.WithTriviaFrom(slotType);
        bool nonNullableString = isScalar && newType is not NullableTypeSyntax && key is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.StringKeyword };

        SyntaxNode declaration = slotType.Parent!;
        SyntaxNode replaced = declaration switch
        {
            PropertyDeclarationSyntax property =>
                FixProperty(property, newType, AdjustInitializer(property.Initializer, oldElement, key, isScalar, nonNullableString)),
            VariableDeclarationSyntax variables => variables
                .WithType(newType)
                .WithVariables(SyntaxFactory.SeparatedList(
                    variables.Variables.Select(v => FixVariable(v, AdjustInitializer(v.Initializer, oldElement, key, isScalar, nonNullableString))),
                    variables.Variables.GetSeparators())),
            _ => declaration.ReplaceNode(slotType, newType),
        };

        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, replaced)));
    }

    /// <summary>Sets the type and initializer, moving the trivia after "}" and ";" when an initializer appears or goes.</summary>
    private static PropertyDeclarationSyntax FixProperty(PropertyDeclarationSyntax property, TypeSyntax newType, EqualsValueClauseSyntax? initializer)
    {
        PropertyDeclarationSyntax typed = property.WithType(newType);
        if (property.AccessorList is not { } accessors)
        {
            return typed;
        }

        if (property.Initializer is null && initializer is not null)
        {
            SyntaxTriviaList after = accessors.CloseBraceToken.TrailingTrivia;
            return typed
                .WithAccessorList(accessors.WithCloseBraceToken(accessors.CloseBraceToken.WithTrailingTrivia(SyntaxFactory.Space)))
                .WithInitializer(initializer)
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.SemicolonToken, after));
        }

        if (property.Initializer is not null && initializer is null)
        {
            SyntaxTriviaList after = property.SemicolonToken.TrailingTrivia;
            return typed
                .WithInitializer(null)
                .WithSemicolonToken(default)
                .WithAccessorList(accessors.WithCloseBraceToken(accessors.CloseBraceToken.WithTrailingTrivia(after)));
        }

        return typed.WithInitializer(initializer);
    }

    private static VariableDeclaratorSyntax FixVariable(VariableDeclaratorSyntax variable, EqualsValueClauseSyntax? initializer) =>
        variable.Initializer is null && initializer is not null
            ? variable.WithInitializer(initializer.WithLeadingTrivia(SyntaxFactory.Space))
            : variable.WithInitializer(initializer);

    /// <summary>Replaces the part of the slot type that holds the key, returning the old element for initializers.</summary>
    private static (TypeSyntax NewType, TypeSyntax? OldElement, bool IsScalar) Reshape(TypeSyntax slotType, TypeSyntax key)
    {
        switch (slotType)
        {
            case NullableTypeSyntax nullable:
                return (SyntaxFactory.NullableType(key), nullable.ElementType, true);
            case ArrayTypeSyntax array:
                return (array.WithElementType(key), array.ElementType, false);
            case GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic:
                return (WithArgument(generic, key), generic.TypeArgumentList.Arguments[0], false);
            case QualifiedNameSyntax { Right: GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } right } qualified:
                return (qualified.WithRight(WithArgument(right, key)), right.TypeArgumentList.Arguments[0], false);
            default:
                return (key, slotType, true);
        }
    }

    private static GenericNameSyntax WithArgument(GenericNameSyntax generic, TypeSyntax key) =>
        generic.WithTypeArgumentList(generic.TypeArgumentList.WithArguments(SyntaxFactory.SingletonSeparatedList(key)));

    private static EqualsValueClauseSyntax? AdjustInitializer(EqualsValueClauseSyntax? initializer, TypeSyntax? oldElement, TypeSyntax key, bool isScalar, bool nonNullableString)
    {
        if (isScalar)
        {
            if (nonNullableString)
            {
                ExpressionSyntax empty = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(string.Empty));
                return initializer is null
                    ? SyntaxFactory.EqualsValueClause(empty).WithEqualsToken(SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space))
                    : initializer.WithValue(empty.WithTriviaFrom(initializer.Value));
            }

            return initializer?.Value is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression or (int)SyntaxKind.DefaultLiteralExpression }
                ? initializer
                : null;
        }

        if (initializer is null || oldElement is null)
        {
            return initializer;
        }

        // new List<int>(), Array.Empty<int>(), new int[0]: the old element type becomes the key type.
        return initializer.ReplaceNodes(
            initializer.DescendantNodes().Where(n => n is TypeSyntax type && type.IsEquivalentTo(oldElement, topLevel: false)),
            (original, _) => key.WithTriviaFrom(original));
    }
}
