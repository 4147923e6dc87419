using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace OfflineSync.CodeFixes;

/// <summary>A fix offered for one diagnostic: its title and the rewritten syntax root, computed when applied.</summary>
internal readonly struct SyntaxFix
{
    public SyntaxFix(string title, Func<SyntaxNode> rewrite)
    {
        Title = title;
        Rewrite = rewrite;
    }

    public string Title { get; }

    public Func<SyntaxNode> Rewrite { get; }
}

/// <summary>
/// The shape every OfflineSync fix shares: one diagnostic ID, a pure syntax rewrite of one document,
/// and fix-all through the batch fixer (the rewrites of one document never overlap, or are identical).
/// </summary>
public abstract class SyntaxCodeFixProvider : CodeFixProvider
{
    private readonly string _equivalenceKey;

    private protected SyntaxCodeFixProvider(DiagnosticDescriptor descriptor, string equivalenceKey)
        : this(ImmutableArray.Create(descriptor.Id), equivalenceKey)
    {
    }

    private protected SyntaxCodeFixProvider(ImmutableArray<string> diagnosticIds, string equivalenceKey)
    {
        FixableDiagnosticIds = diagnosticIds;
        _equivalenceKey = equivalenceKey;
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (CreateFix(root, diagnostic) is { } fix)
            {
                Document document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        fix.Title,
                        cancellationToken =>
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            return Task.FromResult(document.WithSyntaxRoot(fix.Rewrite()));
                        },
                        _equivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Returns the fix for <paramref name="diagnostic"/>, or null when the code is not in a shape the fix handles.</summary>
    private protected abstract SyntaxFix? CreateFix(SyntaxNode root, Diagnostic diagnostic);
}
