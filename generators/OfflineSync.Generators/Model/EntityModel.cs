namespace OfflineSync.Generators.Model;

/// <summary>Everything the emitter needs for one <c>[Syncable]</c> type.</summary>
/// <param name="Type">The entity declaration.</param>
/// <param name="IsPublic">Whether the entity is visible outside its assembly.</param>
/// <param name="ResourceName">The resource name on the wire.</param>
/// <param name="Key">The key property.</param>
/// <param name="Version">The <c>[SyncVersion]</c> property, if any.</param>
/// <param name="PatchProperties">The properties of the patch type, in declaration order.</param>
/// <param name="Walks">The types whose reference slots are visited; index 0 is the entity itself.</param>
/// <param name="InitAccessors">The <c>[UnsafeAccessor]</c> setters the generated code calls.</param>
/// <param name="DerivesFromEntity">Whether a base type is a generated entity, whose static members this one's hide.</param>
internal sealed record EntityModel(
    TypeDeclarationModel Type,
    bool IsPublic,
    string ResourceName,
    KeyModel Key,
    VersionModel? Version,
    EquatableArray<PatchPropertyModel> PatchProperties,
    EquatableArray<WalkTypeModel> Walks,
    EquatableArray<InitAccessorModel> InitAccessors,
    bool DerivesFromEntity)
{
    public string PatchName => Type.Name + "Patch";

    /// <summary>Gets the <c>global::</c>-qualified name of the patch type, declared beside the entity.</summary>
    public string PatchFullyQualifiedName =>
        Type.FullyQualifiedName.Substring(0, Type.FullyQualifiedName.Length - Type.Name.Length) + PatchName;

    /// <summary>Gets the name of the file-local class holding the walkers and accessors.</summary>
    public string SupportName => Type.Name + "SyncSupport";
}

/// <summary>The key property of an entity; its name is an identifier (<c>@class</c> for a keyword), as in every model but <see cref="InitAccessorModel"/>.</summary>
internal sealed record KeyModel(string PropertyName, string TypeName, KeyKind Kind, MemberWrite Write);

/// <summary>The <c>[SyncVersion]</c> property of an entity.</summary>
internal sealed record VersionModel(string PropertyName, bool IsNullable, MemberWrite Write);

/// <summary>An <c>[UnsafeAccessor]</c> extern method calling the <c>init</c> setter of a member.</summary>
/// <param name="Name">The name of the generated extern method.</param>
/// <param name="OwnerTypeName">The type declaring the member.</param>
/// <param name="OwnerIsValueType">Whether the owner is a struct (the accessor then takes it by <see langword="ref"/>).</param>
/// <param name="MemberName">The property name; the accessor binds <c>set_{MemberName}</c>.</param>
/// <param name="ValueTypeName">The property type.</param>
internal sealed record InitAccessorModel(string Name, string OwnerTypeName, bool OwnerIsValueType, string MemberName, string ValueTypeName);
