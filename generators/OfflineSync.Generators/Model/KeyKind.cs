namespace OfflineSync.Generators.Model;

/// <summary>The supported key types; the names match <c>OfflineSync.SyncKeyKind</c>.</summary>
internal enum KeyKind
{
    String,
    Guid,
    Int64,
    Int32,
}
