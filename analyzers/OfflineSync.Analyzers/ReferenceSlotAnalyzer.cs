using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfflineSync.Analyzers.Model;

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
                "hold the keys as the key type, its nullable, or a List<K>, K[], IList<K> or HashSet<K>"));
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
                $"use List<{SymbolText.Display(shape.Element)}> or an array"));
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

        // Collections are rewritten in place; a single key is assigned, so its member must take a value.
        if (shape.Kind is SlotKind.Single or SlotKind.Nullable)
        {
            ReportIfNotWritable(context.ReportDiagnostic, member, known, string.Empty);
        }
    }

    /// <summary>Reports OSYNC003 when the generated code cannot assign <paramref name="member"/>.</summary>
    internal static void ReportIfNotWritable(System.Action<Diagnostic> report, ISymbol member, KnownSymbols known, string why)
    {
        WriteProblem problem = Writability.Check(member, known);
        if (problem == WriteProblem.None)
        {
            return;
        }

        bool inRecord = member.ContainingType.IsRecord;
        string? fix = problem switch
        {
            WriteProblem.GetOnly => inRecord ? "AddInit" : "AddSetter",
            WriteProblem.InitOutsideRecord => "InitToSet",
            WriteProblem.ReadOnlyField => "RemoveReadonly",
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
