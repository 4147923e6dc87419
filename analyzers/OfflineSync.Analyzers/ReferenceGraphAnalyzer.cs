using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;

namespace OfflineSync.Analyzers;

/// <summary>
/// Walks each <c>[Syncable]</c> type the way the generated visitor will: through its members and the
/// nested non-entity types they hold. Reports nested structs that cannot be written back (OSYNC003),
/// references in containers the visitor cannot walk (OSYNC004), properties that look like forgotten
/// foreign keys (OSYNC007) and recursive nested types (OSYNC008).
/// </summary>
/// <remarks>
/// The walk starts at entities so that a type that is never part of a synced model is never reported.
/// A nested type reached from several entities is reported once.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReferenceGraphAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the fully qualified entity a forgotten foreign key points at (OSYNC007).</summary>
    internal const string TargetProperty = "Target";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SlotNotWritable,
        DiagnosticDescriptors.UnwalkableContainer,
        DiagnosticDescriptors.LikelyMissingReferences,
        DiagnosticDescriptors.RecursiveNestedType);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            KnownSymbols? known = KnownSymbols.TryCreate(start.Compilation);
            if (known is null)
            {
                return;
            }

            var state = new CompilationState(new ReferenceGraph(known));
            start.RegisterSymbolAction(
                symbol =>
                {
                    var entity = (INamedTypeSymbol)symbol.Symbol;
                    if (known.IsSyncable(entity))
                    {
                        new Walk(state, symbol.ReportDiagnostic, symbol.CancellationToken).Run(entity);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>What the walks of one compilation share: the reference graph, the entities by name, what was reported.</summary>
    private sealed class CompilationState
    {
        private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _entitiesByName = new();
        private readonly ConcurrentDictionary<(string Id, Location Location), bool> _reported = new();

        public CompilationState(ReferenceGraph graph) => Graph = graph;

        public ReferenceGraph Graph { get; }

        /// <summary>Reports once per location, however many entities reach the member.</summary>
        public bool TryClaim(Diagnostic diagnostic) => _reported.TryAdd((diagnostic.Id, diagnostic.Location), true);

        /// <summary>The [Syncable] type of that simple name in source, or in the namespace <paramref name="near"/>.</summary>
        public INamedTypeSymbol? FindEntity(string name, INamespaceSymbol? near) =>
            _entitiesByName.GetOrAdd(name, n =>
            {
                KnownSymbols known = Graph.Known;
                foreach (INamedTypeSymbol candidate in near?.GetTypeMembers(n) ?? ImmutableArray<INamedTypeSymbol>.Empty)
                {
                    if (known.IsSyncable(candidate))
                    {
                        return candidate;
                    }
                }

                foreach (ISymbol candidate in known.Compilation.GetSymbolsWithName(n, SymbolFilter.Type))
                {
                    if (candidate is INamedTypeSymbol type && known.IsSyncable(type))
                    {
                        return type;
                    }
                }

                return null;
            });
    }

    /// <summary>One depth-first walk from one entity.</summary>
    private sealed class Walk
    {
        private readonly CompilationState _state;
        private readonly ReferenceGraph _graph;
        private readonly System.Action<Diagnostic> _report;
        private readonly CancellationToken _cancellationToken;
        private readonly List<INamedTypeSymbol> _path = new();
        private readonly HashSet<INamedTypeSymbol> _done = new(SymbolEqualityComparer.Default);

        public Walk(CompilationState state, System.Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            _state = state;
            _graph = state.Graph;
            _report = report;
            _cancellationToken = cancellationToken;
        }

        public void Run(INamedTypeSymbol entity)
        {
            _path.Add(entity);
            WalkMembers(entity);
        }

        private void WalkMembers(INamedTypeSymbol type)
        {
            foreach (ISymbol member in _graph.InstanceMembers(type))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                ITypeSymbol? memberType = SymbolText.TypeOf(member);
                if (memberType is null || member.IsImplicitlyDeclared && member is IFieldSymbol)
                {
                    continue;
                }

                if (_graph.Known.GetReferencesAttribute(member) is not null)
                {
                    continue; // a declared slot: ReferenceSlotAnalyzer checks it
                }

                CheckForgottenReference(member, memberType);
                CheckHeldType(member, memberType);
            }
        }

        private void CheckHeldType(ISymbol member, ITypeSymbol memberType)
        {
            SlotShape shape = SlotShape.Classify(memberType, _graph.Known);
            switch (shape.Kind)
            {
                case SlotKind.Single or SlotKind.Nullable when IsWalkableNested(shape.Element):
                    var nested = (INamedTypeSymbol)shape.Element;
                    if (nested.IsValueType && _graph.HoldsReferences(nested))
                    {
                        // A struct is copied out of its member: the copy is remapped, then assigned back.
                        ReferenceSlotAnalyzer.ReportIfNotWritable(Report, member, _graph.Known, $" and holds the struct {SymbolText.Display(nested)}, which holds references");
                    }

                    Descend(member, nested);
                    break;

                case SlotKind.HashSet when IsWalkableNested(shape.Element) && shape.Element.IsValueType:
                    // A set hands out copies of its structs: a remapped copy cannot be put back in place.
                    if (_graph.HoldsReferences(shape.Element))
                    {
                        ReportUnwalkable(member, $"a set of structs ({SymbolText.Display(memberType)}), whose elements cannot be written back", "use a List<T> or an array of the struct, or make it a class");
                    }

                    break;

                case SlotKind.List or SlotKind.Array or SlotKind.IList or SlotKind.HashSet when IsWalkableNested(shape.Element):
                    Descend(member, (INamedTypeSymbol)shape.Element);
                    break;

                default:
                    if (_graph.MentionsReferences(memberType))
                    {
                        ReportUnwalkable(member, DescribeContainer(shape, memberType), "hold nested objects directly or in a List<T>, T[], IList<T> or HashSet<T>");
                    }

                    break;
            }
        }

        private void ReportUnwalkable(ISymbol member, string container, string fix) =>
            Report(Diagnostic.Create(
                DiagnosticDescriptors.UnwalkableContainer,
                SymbolText.TypeLocation(member, _cancellationToken),
                SymbolText.Display(member.ContainingType),
                member.Name,
                container,
                fix));

        private bool IsWalkableNested(ITypeSymbol type) =>
            _graph.IsModelType(type) && type.TypeKind != TypeKind.Interface && type is INamedTypeSymbol;

        private void Descend(ISymbol member, INamedTypeSymbol nested)
        {
            if (_path.Contains(nested, SymbolEqualityComparer.Default))
            {
                if (_graph.HoldsReferences(nested))
                {
                    Report(Diagnostic.Create(
                        DiagnosticDescriptors.RecursiveNestedType,
                        SymbolText.NameLocation(member),
                        SymbolText.Display(member.ContainingType),
                        member.Name,
                        SymbolText.Display(nested)));
                }

                return;
            }

            if (!_done.Add(nested))
            {
                return;
            }

            _path.Add(nested);
            WalkMembers(nested);
            _path.RemoveAt(_path.Count - 1);
        }

        /// <summary>
        /// OSYNC007: <c>XId</c> or <c>XIds</c> where <c>X</c> is an entity and the property's shape could hold X's
        /// keys (the key type, its nullable, or a collection of it), whatever the key type.
        /// </summary>
        private void CheckForgottenReference(ISymbol member, ITypeSymbol memberType)
        {
            if (member is not IPropertySymbol property
                || _graph.Known.HasSyncKey(property)
                || ForeignKeyTarget(property.Name) is not { } entityName)
            {
                return;
            }

            INamedTypeSymbol? entity = _state.FindEntity(entityName, property.ContainingType.ContainingNamespace);
            if (entity is null || EntityKey.Find(entity, _graph.Known).UsableType is not { } keyType || !CanHoldKeys(memberType, keyType))
            {
                return;
            }

            Report(Diagnostic.Create(
                DiagnosticDescriptors.LikelyMissingReferences,
                SymbolText.NameLocation(property),
                ImmutableDictionary<string, string?>.Empty.Add(TargetProperty, SymbolText.FullyQualified(entity)),
                SymbolText.Display(property.ContainingType),
                property.Name,
                SymbolText.Display(entity)));
        }

        /// <summary><c>CategoryId</c> → <c>Category</c>, <c>TagIds</c> → <c>Tag</c>; null for any other name.</summary>
        private static string? ForeignKeyTarget(string name)
        {
            if (name.Length > 3 && name.EndsWith("Ids", System.StringComparison.Ordinal))
            {
                return name.Substring(0, name.Length - 3);
            }

            return name.Length > 2 && name.EndsWith("Id", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 2) : null;
        }

        private bool CanHoldKeys(ITypeSymbol memberType, ITypeSymbol keyType)
        {
            SlotShape shape = SlotShape.Classify(memberType, _graph.Known);
            return shape.Kind is not (SlotKind.Unwalkable or SlotKind.ReadOnlyCollection)
                && SymbolEqualityComparer.Default.Equals(shape.Element, keyType);
        }

        private static string DescribeContainer(SlotShape shape, ITypeSymbol memberType) => shape.Kind switch
        {
            SlotKind.Unwalkable => shape.DescribeContainer(memberType),
            SlotKind.ReadOnlyCollection or SlotKind.Replaced => $"a read-only collection ({SymbolText.Display(memberType)})",
            SlotKind.Single or SlotKind.Nullable => $"{SymbolText.Display(memberType)}, a type the visitor does not walk into",
            _ => $"{SymbolText.Display(memberType)}, a collection whose elements the visitor does not walk into",
        };

        private void Report(Diagnostic diagnostic)
        {
            if (diagnostic.Location.IsInSource && _state.TryClaim(diagnostic))
            {
                _report(diagnostic);
            }
        }
    }
}
