using Microsoft.CodeAnalysis;

namespace OfflineSync.Analyzers.Model;

/// <summary>Why generated code cannot assign a member, if it cannot.</summary>
internal enum WriteProblem
{
    None,

    /// <summary>A property without a setter.</summary>
    GetOnly,

    /// <summary>An <c>init</c> accessor in a type that is not a record (records are rebuilt with <c>with</c>).</summary>
    InitOutsideRecord,

    /// <summary>A <c>readonly</c> (or <c>const</c>) field.</summary>
    ReadOnlyField,

    /// <summary>A private setter or field in a type other than the entity, which the generated code cannot reach.</summary>
    Inaccessible,
}

/// <summary>Decides whether the generated visitor can write a member back.</summary>
internal static class Writability
{
    /// <summary>
    /// Checks a member as the generated code sees it. The generated code is part of the <c>[Syncable]</c>
    /// type, so private setters of the entity's own members are fine; those of other types are not.
    /// </summary>
    public static WriteProblem Check(ISymbol member, KnownSymbols known)
    {
        bool ownedByEntity = known.IsSyncable(member.ContainingType);
        switch (member)
        {
            case IFieldSymbol field:
                if (field.IsReadOnly || field.IsConst)
                {
                    return WriteProblem.ReadOnlyField;
                }

                return !ownedByEntity && field.DeclaredAccessibility == Accessibility.Private ? WriteProblem.Inaccessible : WriteProblem.None;

            case IPropertySymbol property:
                IMethodSymbol? setter = property.SetMethod;
                if (setter is null)
                {
                    return WriteProblem.GetOnly;
                }

                if (setter.IsInitOnly && !property.ContainingType.IsRecord)
                {
                    return WriteProblem.InitOutsideRecord;
                }

                return !ownedByEntity && setter.DeclaredAccessibility == Accessibility.Private ? WriteProblem.Inaccessible : WriteProblem.None;

            default:
                return WriteProblem.None;
        }
    }

    /// <summary>The message part that says what is wrong ("is get-only").</summary>
    public static string Describe(WriteProblem problem) => problem switch
    {
        WriteProblem.GetOnly => "is get-only",
        WriteProblem.InitOutsideRecord => "is init-only in a type that is not a record",
        WriteProblem.ReadOnlyField => "is a readonly field",
        WriteProblem.Inaccessible => "is private to a type the generated code is not part of",
        _ => "is writable",
    };

    /// <summary>The message part that says how to fix it.</summary>
    public static string Fix(WriteProblem problem, bool inRecord) => problem switch
    {
        WriteProblem.GetOnly => inRecord ? "add an 'init' accessor or a setter" : "add a setter",
        WriteProblem.InitOutsideRecord => "use 'set' instead of 'init', or make the type a record",
        WriteProblem.ReadOnlyField => "remove 'readonly'",
        WriteProblem.Inaccessible => "make the setter internal or public",
        _ => string.Empty,
    };
}
