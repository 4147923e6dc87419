namespace OfflineSync;

/// <summary>
/// Marks the property that carries the server's version of the entity (the <c>ETag</c>). The engine fills it
/// from server answers; it is never sent in a patch.
/// </summary>
/// <remarks>
/// The property is a <see cref="string"/>, or a <see cref="long"/> or <see cref="int"/> (nullable or not), since
/// the protocol's versions are integers. A number that is 0 (or null) means the entity carries no version yet.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SyncVersionAttribute : Attribute
{
}
