using Microsoft.CodeAnalysis;

namespace OfflineSync.Shared;

/// <summary>How generated code can assign a member, or why it cannot.</summary>
internal enum WriteAccess
{
    /// <summary>An assignment in generated code: the member and its setter are reachable from the assembly.</summary>
    Direct,

    /// <summary>
    /// Through a generated <c>[UnsafeAccessor]</c> to its setter: an <c>init</c> setter of a record, or a
    /// <c>private</c>/<c>protected</c> setter behind a reachable getter.
    /// </summary>
    Accessor,

    /// <summary>A property without a setter.</summary>
    GetOnly,

    /// <summary>An <c>init</c> accessor in a type that is not a record.</summary>
    InitOutsideRecord,

    /// <summary>A <c>readonly</c> (or <c>const</c>) field.</summary>
    ReadOnlyField,

    /// <summary>A private or protected member or getter: generated code cannot even read it.</summary>
    Inaccessible,

    /// <summary>A setter only an accessor could call, in a generic type, which an accessor cannot bind to on .NET 8.</summary>
    AccessorInGenericType,
}

/// <summary>Decides how generated code writes a member back: one rule for the generator and OSYNC003/OSYNC006.</summary>
internal static class MemberAccess
{
    /// <summary>
    /// Whether generated code can read the member. The generated walkers are other types of the same
    /// assembly, so private and protected fields and getters are out of reach, even on the entity.
    /// </summary>
    public static bool IsReadable(ISymbol member, SyncSymbols symbols) => member switch
    {
        IFieldSymbol field => symbols.IsAccessibleInAssembly(field),
        IPropertySymbol property => !property.IsIndexer && property.GetMethod is { } getter && symbols.IsAccessibleInAssembly(getter),
        _ => false,
    };

    public static WriteAccess GetWriteAccess(ISymbol member, SyncSymbols symbols)
    {
        if (!IsReadable(member, symbols))
        {
            return WriteAccess.Inaccessible;
        }

        switch (member)
        {
            case IFieldSymbol field:
                return field.IsReadOnly || field.IsConst ? WriteAccess.ReadOnlyField : WriteAccess.Direct;

            case IPropertySymbol property:
                if (property.SetMethod is not { } setter)
                {
                    return WriteAccess.GetOnly;
                }

                if (setter.IsInitOnly && !property.ContainingType.IsRecord)
                {
                    return WriteAccess.InitOutsideRecord;
                }

                if (!setter.IsInitOnly && symbols.IsAccessibleInAssembly(setter))
                {
                    return WriteAccess.Direct;
                }

                return IsInGenericType(property.ContainingType) ? WriteAccess.AccessorInGenericType : WriteAccess.Accessor;

            default:
                return WriteAccess.Inaccessible;
        }
    }

    public static bool IsWritable(WriteAccess access) => access is WriteAccess.Direct or WriteAccess.Accessor;

    private static bool IsInGenericType(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }
}
