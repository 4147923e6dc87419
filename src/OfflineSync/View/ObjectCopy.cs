using System.Runtime.CompilerServices;

namespace OfflineSync;

/// <summary>
/// <see cref="object.MemberwiseClone"/> without reflection (trimming- and AOT-safe). Kept out of generic types: the
/// .NET 8 runtime refuses an <see cref="UnsafeAccessorAttribute"/> declared in a generic type
/// (<see cref="BadImageFormatException"/> "Invalid usage of UnsafeAccessorAttribute"); .NET 9 and later accept both.
/// </summary>
internal static class ObjectCopy
{
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = nameof(MemberwiseClone))]
    public static extern object MemberwiseClone(object target);
}
