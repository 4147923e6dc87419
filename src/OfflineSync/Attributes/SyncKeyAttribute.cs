namespace OfflineSync;

/// <summary>Marks the key property of a <c>[Syncable]</c> entity whose key is not named <c>Id</c>.</summary>
/// <remarks>Supported key types are <see cref="string"/>, <see cref="Guid"/>, <see cref="long"/> and <see cref="int"/>.</remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SyncKeyAttribute : Attribute
{
}
