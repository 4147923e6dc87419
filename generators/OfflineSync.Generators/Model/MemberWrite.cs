namespace OfflineSync.Generators.Model;

/// <summary>
/// How generated code assigns a member: directly, or, for an <c>init</c>-only member of a record,
/// through the <c>[UnsafeAccessor]</c> extern method named <see cref="InitAccessor"/>.
/// </summary>
internal readonly record struct MemberWrite(string? InitAccessor)
{
    public static MemberWrite Direct => default;

    public bool IsDirect => InitAccessor is null;
}
