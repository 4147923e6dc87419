using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Generators;

/// <summary>
/// Reuses the models parsed from a compilation for the next compilations that declare the same.
/// </summary>
/// <remarks>
/// Roslyn runs every <c>ForAttributeWithMetadataName</c> transform again on each new compilation (an IDE
/// makes one per keystroke), and in a new compilation every symbol is bound afresh: parsing 500 entities
/// after an edit in a method body cost as much as a cold run, only for their models to compare equal.
/// When the compilation declares what the previous one did (<see cref="DeclarationSnapshot"/>), every
/// symbol the parser reads is bound alike, so the parsed models are those of the previous compilation.
/// One cache per pipeline (per driver, so per project); it holds models and the latest snapshot, never
/// a compilation or a symbol.
/// </remarks>
internal sealed class ParseCache
{
    private readonly ConditionalWeakTable<Compilation, Generation> _generations = new();
    private Generation? _latest;

    /// <summary>The transform <paramref name="parse"/> of one attributed type, reusing its model while the declarations stay the same.</summary>
    public Func<GeneratorAttributeSyntaxContext, CancellationToken, T> Cached<T>(Func<GeneratorAttributeSyntaxContext, CancellationToken, T> parse)
    {
        // One slot per transform, not per model type: two transforms returning the same type never share models.
        var transform = new object();
        return (context, cancellationToken) =>
        {
            Generation generation = For(context.SemanticModel.Compilation, cancellationToken);
            return generation.GetOrParse(new ModelKey(transform, Identity(context.TargetSymbol)), context, parse, cancellationToken);
        };
    }

    /// <summary>The compilation-wide <paramref name="parse"/>, reusing its model while the declarations stay the same.</summary>
    public Func<Compilation, CancellationToken, T> Cached<T>(Func<Compilation, CancellationToken, T> parse)
    {
        var transform = new object();
        return (compilation, cancellationToken) =>
        {
            Generation generation = For(compilation, cancellationToken);
            return generation.GetOrParse(new ModelKey(transform, string.Empty), compilation, parse, cancellationToken);
        };
    }

    private Generation For(Compilation compilation, CancellationToken cancellationToken)
    {
        if (_generations.TryGetValue(compilation, out Generation? known))
        {
            return known;
        }

        var snapshot = DeclarationSnapshot.Of(compilation);
        Generation? latest = Volatile.Read(ref _latest);
        Generation next = latest is not null && latest.Snapshot.DeclaresTheSameAs(snapshot, cancellationToken)
            ? new Generation(snapshot, latest.Models)
            : new Generation(snapshot, new ConcurrentDictionary<ModelKey, object?>());

        // Another thread may have stored a generation for this compilation first: that one holds its models,
        // so the next compilation is compared with it.
        Generation stored = _generations.GetValue(compilation, _ => next);
        Volatile.Write(ref _latest, stored);
        return stored;
    }

    /// <summary>
    /// The declared name of a type, containing types and namespaces included: read from declarations, so
    /// it binds nothing. Within one compilation it names one type (a duplicate declaration is CS0101).
    /// </summary>
    private static string Identity(ISymbol symbol)
    {
        var parts = new Stack<string>();
        for (ISymbol? current = symbol; current is not null and not INamespaceSymbol { IsGlobalNamespace: true }; current = current.ContainingSymbol)
        {
            parts.Push(current.MetadataName);
        }

        return string.Join(".", parts);
    }

    /// <summary>Which transform produced a model (its slot, compared by reference) and for which type.</summary>
    private readonly record struct ModelKey(object Transform, string Target);

    /// <summary>Compilations that declare the same, and the models parsed from any of them.</summary>
    private sealed class Generation
    {
        public Generation(DeclarationSnapshot snapshot, ConcurrentDictionary<ModelKey, object?> models)
        {
            Snapshot = snapshot;
            Models = models;
        }

        public DeclarationSnapshot Snapshot { get; }

        public ConcurrentDictionary<ModelKey, object?> Models { get; }

        public T GetOrParse<TInput, T>(ModelKey key, TInput input, Func<TInput, CancellationToken, T> parse, CancellationToken cancellationToken)
        {
            if (Models.TryGetValue(key, out object? cached))
            {
                return (T)cached!;
            }

            // A parse cancelled half-way throws and stores nothing; two threads parsing the same type store equal models.
            T model = parse(input, cancellationToken);
            Models.TryAdd(key, model);
            return model;
        }
    }
}
