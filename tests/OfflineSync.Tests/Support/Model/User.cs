namespace OfflineSync.Tests.Model;

[Syncable("users")]
public partial class User
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}
