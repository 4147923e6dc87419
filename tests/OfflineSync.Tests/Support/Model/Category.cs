namespace OfflineSync.Tests.Model;

[Syncable("categories")]
public partial class Category
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    [SyncVersion]
    public string? Version { get; set; }
}
