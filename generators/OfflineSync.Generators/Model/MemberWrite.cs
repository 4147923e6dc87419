namespace OfflineSync.Generators.Model;

/// <summary>
/// How generated code assigns a member: directly, or through the <c>[UnsafeAccessor]</c> extern method
/// named <see cref="Accessor"/> (an <c>init</c> member of a record, or a private or protected setter).
/// </summary>
internal readonly record struct MemberWrite(string? Accessor)
{
    public static MemberWrite Direct => default;

    public bool IsDirect => Accessor is null;
}
