namespace OfflineSync;

/// <summary>
/// Marks a <see cref="string"/> property that carries the server's version (ETag) of the entity.
/// The engine fills it from server answers; it is never sent in a patch.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SyncVersionAttribute : Attribute
{
}
