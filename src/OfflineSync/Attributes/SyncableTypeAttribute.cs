using System.ComponentModel;

namespace OfflineSync;

/// <summary>
/// Lists a <see cref="SyncableAttribute">[Syncable]</see> type of the assembly, so that a
/// <see cref="SyncClientAttribute">[SyncClient]</see> in an assembly that references it gets a typed set
/// for it. The source generator adds one per entity; applications do not write it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class SyncableTypeAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="type">The <c>[Syncable]</c> type.</param>
    public SyncableTypeAttribute(Type type) => Type = type;

    /// <summary>Gets the <c>[Syncable]</c> type.</summary>
    public Type Type { get; }
}
