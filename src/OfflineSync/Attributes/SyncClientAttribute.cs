namespace OfflineSync;

/// <summary>
/// Marks a <see langword="partial"/> class as the application's typed sync client. The source generator
/// derives it from <see cref="SyncClient"/>, gives it a constructor taking <see cref="SyncOptions"/>
/// and one typed set property per <c>[Syncable]</c> type of the compilation and of the assemblies it
/// references.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SyncClientAttribute : Attribute
{
}
