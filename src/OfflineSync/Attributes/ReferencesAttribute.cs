namespace OfflineSync;

/// <summary>
/// Declares that a property or field holds the key (or keys) of another <see cref="SyncableAttribute">[Syncable]</see>
/// entity, so that optimistic keys in it are remapped to server keys once the server confirms them.
/// </summary>
/// <remarks>
/// The slot can be the key type, its nullable form, or a <c>List&lt;K&gt;</c>, <c>K[]</c>,
/// <c>IList&lt;K&gt;</c> or <c>HashSet&lt;K&gt;</c> of it. Non-entity types that contain such slots are
/// walked at any depth.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class ReferencesAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="target">The <c>[Syncable]</c> entity type whose keys the slot holds.</param>
    public ReferencesAttribute(Type target) => Target = target;

    /// <summary>Gets the referenced entity type.</summary>
    public Type Target { get; }
}
