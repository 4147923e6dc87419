namespace OfflineSync.Generators.Model;

/// <summary>A type whose reference slots are visited: the entity, or a nested non-entity type.</summary>
/// <param name="TypeName">The <c>global::</c>-qualified type name.</param>
/// <param name="IsValueType">Whether it is a struct: visited by <see langword="ref"/> and written back when changed.</param>
/// <param name="IsRecursive">Whether it can contain itself: visited with a depth limit.</param>
/// <param name="Slots">The members holding keys or walkable nested objects.</param>
/// <param name="HasValueEquality">Whether its hash follows its values (a record, or <c>GetHashCode</c> overridden): a set holding it is rebuilt when a visit changes a hash.</param>
internal sealed record WalkTypeModel(string TypeName, bool IsValueType, bool IsRecursive, EquatableArray<SlotModel> Slots, bool HasValueEquality);

/// <summary>The shape of a reference slot.</summary>
internal enum SlotKind
{
    Key,
    NullableKey,
    KeyList,
    KeyArray,
    KeyIList,
    KeySet,
    KeyReadOnlyList,
    KeyReadOnlyCollection,
    KeyImmutableArray,
    Nested,
    NullableNested,
    NestedList,
    NestedArray,
    NestedIList,
    NestedSet,
}

/// <summary>One member that holds keys, or nested objects that do.</summary>
/// <param name="MemberName">The property or field name as an identifier (<c>@class</c> for a keyword).</param>
/// <param name="Kind">The shape of the slot.</param>
/// <param name="ValueTypeName">The key type for key slots; the nested type for nested slots.</param>
/// <param name="TargetTypeName">The referenced entity for key slots; empty for nested slots.</param>
/// <param name="ValueIsReferenceType">Whether the key or nested value is a reference type (needs a null check).</param>
/// <param name="NestedWalk">The index of the nested type in <see cref="EntityModel.Walks"/>, or -1.</param>
/// <param name="Write">How a changed key, struct or replaced collection is written back.</param>
internal sealed record SlotModel(
    string MemberName,
    SlotKind Kind,
    string ValueTypeName,
    string TargetTypeName,
    bool ValueIsReferenceType,
    int NestedWalk,
    MemberWrite Write)
{
    public bool IsNested => Kind >= SlotKind.Nested;
}
