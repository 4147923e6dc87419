using OfflineSync.Shared;

namespace OfflineSync.Analyzers.Model;

/// <summary>How the diagnostics word a member the generated code cannot write (<see cref="MemberAccess"/> decides).</summary>
internal static class Writability
{
    /// <summary>The message part that says what is wrong ("is get-only").</summary>
    public static string Describe(WriteAccess problem) => problem switch
    {
        WriteAccess.GetOnly => "is get-only",
        WriteAccess.InitOutsideRecord => "is init-only in a type that is not a record",
        WriteAccess.ReadOnlyField => "is a readonly field",
        WriteAccess.Inaccessible => "is private or protected (or has such a getter), out of reach of the generated code",
        WriteAccess.AccessorInGenericType => "has a setter the generated code can reach only through an accessor, which cannot bind to a member of a generic type",
        _ => "is writable",
    };

    /// <summary>The message part that says how to fix it.</summary>
    public static string Fix(WriteAccess problem, bool inRecord) => problem switch
    {
        WriteAccess.GetOnly => inRecord ? "add an 'init' accessor or a setter" : "add a setter",
        WriteAccess.InitOutsideRecord => "use 'set' instead of 'init', or make the type a record",
        WriteAccess.ReadOnlyField => "remove 'readonly'",
        WriteAccess.Inaccessible => "make it (and its getter) internal or public",
        WriteAccess.AccessorInGenericType => "give it an internal or public 'set'",
        _ => string.Empty,
    };
}
