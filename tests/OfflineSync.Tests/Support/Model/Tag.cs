namespace OfflineSync.Tests.Model;

[Syncable("tags")]
public partial class Tag
{
    public string Id { get; set; } = "";

    public string Label { get; set; } = "";
}
