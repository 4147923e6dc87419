using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Generators;

/// <summary>
/// What a compilation declares: its trees, references and options. Two compilations with equivalent
/// snapshots bind every declaration alike, so what the parser reads of their symbols is the same.
/// </summary>
/// <remarks>
/// Trees are compared with Roslyn's top-level equivalence, which skips method and accessor bodies
/// (blocks and <c>=&gt;</c> bodies) and the initializers of non-constant fields: what an IDE changes on
/// most keystrokes. Everything else counts, attribute arguments and constants included, and so do
/// <c>#nullable</c> directives, in bodies too (they change the annotations of the declarations after
/// them); other trivia, comments among them, does not. A body can still add members the compiler
/// synthesizes (a captured primary-constructor parameter becomes a hidden field): the parser reads no
/// implicitly declared field, and must not start to.
/// </remarks>
internal sealed class DeclarationSnapshot
{
    private readonly string? _assemblyName;
    private readonly CompilationOptions _options;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly ImmutableArray<SyntaxTree> _trees;

    private DeclarationSnapshot(Compilation compilation)
    {
        _assemblyName = compilation.AssemblyName;
        _options = compilation.Options;
        _references = compilation.References.ToImmutableArray();
        _trees = compilation.SyntaxTrees.ToImmutableArray();
    }

    public static DeclarationSnapshot Of(Compilation compilation) => new(compilation);

    /// <summary>Whether <paramref name="other"/> declares exactly what this snapshot does; the trees an edit did not touch are the same objects and cost nothing.</summary>
    public bool DeclaresTheSameAs(DeclarationSnapshot other, CancellationToken cancellationToken)
    {
        if (_assemblyName != other._assemblyName
            || !_options.Equals(other._options)
            || !_references.SequenceEqual(other._references)
            || _trees.Length != other._trees.Length)
        {
            return false;
        }

        for (int i = 0; i < _trees.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!DeclaresTheSame(_trees[i], other._trees[i], cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DeclaresTheSame(SyntaxTree before, SyntaxTree after, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(before, after))
        {
            return true;
        }

        if (!before.Options.Equals(after.Options))
        {
            return false;
        }

        return before.GetRoot(cancellationToken).IsEquivalentTo(after.GetRoot(cancellationToken), topLevel: true);
    }
}
