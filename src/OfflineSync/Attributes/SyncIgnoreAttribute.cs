namespace OfflineSync;

/// <summary>Marks a property that is local only: never sent to the server and never part of a patch.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class SyncIgnoreAttribute : Attribute
{
}
