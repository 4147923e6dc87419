using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;
using OfflineSync.Shared;

namespace OfflineSync.Analyzers;

/// <summary>
/// Checks every <c>[References]</c> member on its own: the target is an entity (OSYNC001), the slot can
/// hold its key (OSYNC002), the slot can be written back (OSYNC003) and walked (OSYNC004).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReferenceSlotAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the fully qualified key type a mismatched slot should hold (OSYNC002).</summary>
    internal const string KeyTypeProperty = "KeyType";

    /// <summary>Diagnostic property: which accessor change makes the slot writable (OSYNC003).</summary>
    internal const string WriteFixProperty = "WriteFix";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ReferenceTargetNotSyncable,
        DiagnosticDescriptors.SlotTypeMismatch,
        DiagnosticDescriptors.SlotNotWritable,
        DiagnosticDescriptors.UnwalkableContainer);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            KnownSymbols? known = KnownSymbols.TryCreate(start.Compilation);
            if (known is not null)
            {
                start.RegisterSymbolAction(symbol => AnalyzeMember(symbol, known), SymbolKind.Property, SymbolKind.Field);
            }
        });
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, KnownSymbols known)
    {
        ISymbol member = context.Symbol;
        AttributeData? attribute = known.GetReferencesAttribute(member);
        ITypeSymbol? slotType = SymbolText.TypeOf(member);
        if (attribute is null || slotType is null || member.IsStatic || attribute.ConstructorArguments.Length != 1)
        {
            return;
        }

        if (attribute.ConstructorArguments[0].Value is not INamedTypeSymbol target || target.TypeKind == TypeKind.Error)
        {
            return; // the compiler already reports the broken typeof
        }

        string owner = SymbolText.Display(member.ContainingType);
        if (!known.IsSyncable(target))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ReferenceTargetNotSyncable,
                SymbolText.AttributeLocation(attribute, member, context.CancellationToken),
                owner,
                member.Name,
                SymbolText.Display(target)));
            return;
        }

        SlotShape shape = SlotShape.Classify(slotType, known);
        if (shape.Kind == SlotKind.Unwalkable)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UnwalkableContainer,
                SymbolText.TypeLocation(member, context.CancellationToken),
                owner,
                member.Name,
                shape.DescribeContainer(slotType),
                "hold the keys as the key type, its nullable, or a List<K>, K[], IList<K>, HashSet<K>, IReadOnlyList<K>, IReadOnlyCollection<K> or ImmutableArray<K>"));
            return;
        }

        if (shape.Kind == SlotKind.ReadOnlyCollection)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.SlotNotWritable,
                SymbolText.NameLocation(member),
                owner,
                member.Name,
                $"is a read-only collection ({SymbolText.Display(slotType)})",
                $"use List<{SymbolText.Display(shape.Element)}>, an array, or an IReadOnlyList<{SymbolText.Display(shape.Element)}> or ImmutableArray<{SymbolText.Display(shape.Element)}> the generated code can replace"));
            return;
        }

        ITypeSymbol? keyType = EntityKey.Find(target, known).UsableType;
        if (keyType is not null && !SymbolEqualityComparer.Default.Equals(shape.Element, keyType))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.SlotTypeMismatch,
                SymbolText.TypeLocation(member, context.CancellationToken),
                ImmutableDictionary<string, string?>.Empty.Add(KeyTypeProperty, SymbolText.FullyQualified(keyType)),
                owner,
                member.Name,
                SymbolText.Display(slotType),
                SymbolText.Display(target),
                SymbolText.Display(keyType)));
        }

        // Lists, arrays and sets are rewritten in place and only need to be reached; a single key is
        // assigned, and a read-only collection is replaced by one holding the new keys.
        if (shape.Kind is SlotKind.Single or SlotKind.Nullable)
        {
            ReportIfNotWritable(context.ReportDiagnostic, member, known, string.Empty);
        }
        else if (shape.Kind == SlotKind.Replaced)
        {
            ReportIfNotWritable(context.ReportDiagnostic, member, known, $" and holds a read-only collection ({SymbolText.Display(slotType)}) that is replaced when a key changes");
        }
        else if (!MemberAccess.IsReadable(member, known))
        {
            ReportIfNotWritable(context.ReportDiagnostic, member, known, string.Empty);
        }
    }

    /// <summary>Reports OSYNC003 when the generated code cannot assign <paramref name="member"/>.</summary>
    internal static void ReportIfNotWritable(System.Action<Diagnostic> report, ISymbol member, KnownSymbols known, string why)
    {
        WriteAccess problem = MemberAccess.GetWriteAccess(member, known);
        if (MemberAccess.IsWritable(problem))
        {
            return;
        }

        bool inRecord = member.ContainingType.IsRecord;
        string? fix = problem switch
        {
            WriteAccess.GetOnly => inRecord ? "AddInit" : "AddSetter",
            WriteAccess.InitOutsideRecord => "InitToSet",
            WriteAccess.ReadOnlyField => "RemoveReadonly",
            _ => null,
        };
        ImmutableDictionary<string, string?> properties = fix is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(WriteFixProperty, fix);
        report(Diagnostic.Create(
            DiagnosticDescriptors.SlotNotWritable,
            SymbolText.NameLocation(member),
            properties,
            SymbolText.Display(member.ContainingType),
            member.Name,
            Writability.Describe(problem) + why,
            Writability.Fix(problem, inRecord)));
    }
}
