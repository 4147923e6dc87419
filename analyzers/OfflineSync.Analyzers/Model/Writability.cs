using Microsoft.CodeAnalysis;

namespace OfflineSync.Analyzers.Model;

/// <summary>Why generated code cannot assign a member, if it cannot.</summary>
internal enum WriteProblem
{
    None,

    /// <summary>A property without a setter.</summary>
    GetOnly,

    /// <summary>An <c>init</c> accessor in a type that is not a record (records are written through generated accessors).</summary>
    InitOutsideRecord,

    /// <summary>A <c>readonly</c> (or <c>const</c>) field.</summary>
    ReadOnlyField,

    /// <summary>A private or protected member, getter or setter: the generated code lives in other types of the assembly.</summary>
    Inaccessible,
}

/// <summary>Decides whether the generated visitor can reach and write a member back.</summary>
internal static class Writability
{
    /// <summary>
    /// Whether generated code can read the member at all. The generated walkers are separate types of
    /// the same assembly, so private and protected members are out of reach, even on the entity.
    /// </summary>
    public static bool IsReachable(ISymbol member, KnownSymbols known) => member switch
    {
        IFieldSymbol field => IsAccessible(field, known),
        IPropertySymbol property => property.GetMethod is { } getter && IsAccessible(getter, known),
        _ => false,
    };

    /// <summary>Checks that generated code can read the member and assign it.</summary>
    public static WriteProblem Check(ISymbol member, KnownSymbols known)
    {
        if (!IsReachable(member, known))
        {
            return WriteProblem.Inaccessible;
        }

        switch (member)
        {
            case IFieldSymbol field:
                return field.IsReadOnly || field.IsConst ? WriteProblem.ReadOnlyField : WriteProblem.None;

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

                return IsAccessible(setter, known) ? WriteProblem.None : WriteProblem.Inaccessible;

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
        WriteProblem.Inaccessible => "is private or protected (or has such a setter), out of reach of the generated code",
        _ => "is writable",
    };

    /// <summary>The message part that says how to fix it.</summary>
    public static string Fix(WriteProblem problem, bool inRecord) => problem switch
    {
        WriteProblem.GetOnly => inRecord ? "add an 'init' accessor or a setter" : "add a setter",
        WriteProblem.InitOutsideRecord => "use 'set' instead of 'init', or make the type a record",
        WriteProblem.ReadOnlyField => "remove 'readonly'",
        WriteProblem.Inaccessible => "make it and its setter internal or public",
        _ => string.Empty,
    };

    private static bool IsAccessible(ISymbol symbol, KnownSymbols known) =>
        known.Compilation.IsSymbolAccessibleWithin(symbol, known.Compilation.Assembly);
}
