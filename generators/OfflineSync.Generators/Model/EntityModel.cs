using OfflineSync.Shared;

namespace OfflineSync.Generators.Model;

/// <summary>Everything the emitter needs for one <c>[Syncable]</c> type.</summary>
/// <param name="Type">The entity declaration.</param>
/// <param name="IsPublic">Whether the entity is visible outside its assembly.</param>
/// <param name="ResourceName">The resource name on the wire.</param>
/// <param name="Key">The key property.</param>
/// <param name="Version">The <c>[SyncVersion]</c> property, if any.</param>
/// <param name="PatchProperties">The properties of the patch type, in declaration order.</param>
/// <param name="Walks">The types whose reference slots are visited; index 0 is the entity itself.</param>
/// <param name="Accessors">The <c>[UnsafeAccessor]</c> setters the generated code calls.</param>
/// <param name="IgnoredJsonMembers">The <c>[SyncIgnore]</c> members of the types its JSON reaches, sorted: source-generated metadata does not know the attribute.</param>
/// <param name="DerivesFromEntity">Whether a base type is a generated entity, whose static members this one's hide.</param>
/// <param name="JsonContext">The <c>global::</c>-qualified <c>JsonSerializerContext</c> of the compilation that lists the entity, or null (reflection-based JSON).</param>
internal sealed record EntityModel(
    TypeDeclarationModel Type,
    bool IsPublic,
    string ResourceName,
    KeyModel Key,
    VersionModel? Version,
    EquatableArray<PatchPropertyModel> PatchProperties,
    EquatableArray<WalkTypeModel> Walks,
    EquatableArray<SetterAccessorModel> Accessors,
    EquatableArray<IgnoredJsonMemberModel> IgnoredJsonMembers,
    bool DerivesFromEntity,
    string? JsonContext = null)
{
    public string PatchName => SyncNaming.PatchType(Type.Name);

    /// <summary>Gets the <c>global::</c>-qualified name of the patch type, declared beside the entity.</summary>
    public string PatchFullyQualifiedName =>
        Type.FullyQualifiedName.Substring(0, Type.FullyQualifiedName.Length - Type.Name.Length) + PatchName;

    /// <summary>Gets the name of the file-local class holding the walkers, accessors and JSON contract.</summary>
    public string SupportName => Type.Name + "SyncSupport";
}

/// <summary>The key property of an entity; its name is an identifier (<c>@class</c> for a keyword), as in every model but <see cref="SetterAccessorModel"/>.</summary>
internal sealed record KeyModel(string PropertyName, string TypeName, KeyKind Kind, MemberWrite Write);

/// <summary>The <c>[SyncVersion]</c> property of an entity.</summary>
/// <param name="PropertyName">The property name as an identifier.</param>
/// <param name="Kind">A string, or an integer that the engine's version strings are parsed into.</param>
/// <param name="IsNullable">Whether it is a nullable reference or value type.</param>
/// <param name="Write">How the engine's version is assigned.</param>
internal sealed record VersionModel(string PropertyName, VersionKind Kind, bool IsNullable, MemberWrite Write);

/// <summary>An <c>[UnsafeAccessor]</c> extern method calling a setter generated code cannot call directly: <c>init</c> in a record, or private or protected.</summary>
/// <param name="Name">The name of the generated extern method.</param>
/// <param name="OwnerTypeName">The type declaring the member.</param>
/// <param name="OwnerIsValueType">Whether the owner is a struct (the accessor then takes it by <see langword="ref"/>).</param>
/// <param name="MemberName">The property name; the accessor binds <c>set_{MemberName}</c>.</param>
/// <param name="ValueTypeName">The property type.</param>
internal sealed record SetterAccessorModel(string Name, string OwnerTypeName, bool OwnerIsValueType, string MemberName, string ValueTypeName);

/// <summary>A <c>[SyncIgnore]</c> member that the JSON contract leaves out.</summary>
/// <param name="DeclaringTypeName">The <c>global::</c>-qualified type declaring it (derived types lose it too).</param>
/// <param name="JsonName">Its JSON name.</param>
internal sealed record IgnoredJsonMemberModel(string DeclaringTypeName, string JsonName);

/// <summary>A <c>JsonSerializerContext</c> of the compilation and the types it lists.</summary>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified context type.</param>
/// <param name="ListedTypes">The <c>global::</c>-qualified types of its <c>[JsonSerializable]</c> attributes, sorted.</param>
internal sealed record JsonContextModel(string FullyQualifiedName, EquatableArray<string> ListedTypes);
