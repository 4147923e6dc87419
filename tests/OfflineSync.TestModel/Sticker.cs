namespace OfflineSync.TestModel;

/// <summary>A <see cref="Guid"/>-keyed entity: new keys are version 7 GUIDs the server keeps when free (S2).</summary>
[Syncable("stickers")]
public partial class Sticker : IWorkspaceItem
{
    public Guid Id { get; set; }

    public string Title { get; set; } = "";

    public string Nonce { get; set; } = "";

    public string Stamp { get; set; } = "";

    [SyncVersion]
    public string? Version { get; set; }

    /// <summary>A parent sticker.</summary>
    [References(typeof(Sticker))]
    public Guid? ParentStickerId { get; set; }

    /// <summary>The sheet the sticker is on.</summary>
    [References(typeof(Sheet))]
    public string? SheetId { get; set; }

    /// <summary>The board the sticker is on.</summary>
    [References(typeof(Board))]
    public long? BoardId { get; set; }
}
