namespace OfflineSync.TestModel;

/// <summary>A <see langword="long"/>-keyed entity: optimistic keys are negative numbers, server keys a sequence (S2).</summary>
[Syncable("boards")]
public partial class Board : IWorkspaceItem
{
    public long Id { get; set; }

    public string Title { get; set; } = "";

    public string Nonce { get; set; } = "";

    public string Stamp { get; set; } = "";

    [SyncVersion]
    public string? Version { get; set; }

    /// <summary>A parent board: a child referencing a parent of the same resource.</summary>
    [References(typeof(Board))]
    public long? ParentBoardId { get; set; }
}
