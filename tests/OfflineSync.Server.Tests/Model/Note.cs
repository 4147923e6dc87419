namespace OfflineSync.Server.Tests.Model;

/// <summary>An entity with a nullable reference, a list of references and a version property.</summary>
[Syncable("notes")]
public partial class Note
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    [References(typeof(Folder))]
    public string? FolderId { get; set; }

    [References(typeof(Note))]
    public List<string> RelatedIds { get; set; } = new();

    /// <summary>The server version, carried on the entity.</summary>
    [SyncVersion]
    public string? Version { get; set; }
}
