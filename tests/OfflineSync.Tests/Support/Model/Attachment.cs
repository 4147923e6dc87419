namespace OfflineSync.Tests.Model;

/// <summary>A Guid-keyed entity: new keys are version 7 GUIDs proposed to the server (S2).</summary>
[Syncable("attachments")]
public partial class Attachment
{
    public Guid Id { get; set; }

    public string FileName { get; set; } = "";

    [References(typeof(Todo))]
    public string? TodoId { get; set; }

    [References(typeof(Project))]
    public long? ProjectId { get; set; }

    [References(typeof(Project))]
    public long[] RelatedProjects { get; set; } = [];
}
