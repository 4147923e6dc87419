namespace OfflineSync.Server.Tests.Model;

/// <summary>An entity with a string key and no references; the generator builds its sync members and <see cref="FolderPatch"/>.</summary>
[Syncable("folders")]
public partial class Folder
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}
