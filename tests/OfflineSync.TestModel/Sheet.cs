namespace OfflineSync.TestModel;

/// <summary>A <see langword="string"/>-keyed entity: optimistic keys are <c>optimistic_</c> + ULID (S2).</summary>
[Syncable("sheets")]
public partial class Sheet : IWorkspaceItem
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public string Nonce { get; set; } = "";

    public string Stamp { get; set; } = "";

    [SyncVersion]
    public string? Version { get; set; }

    /// <summary>The board the sheet belongs to.</summary>
    [References(typeof(Board))]
    public long? BoardId { get; set; }

    /// <summary>A parent sheet.</summary>
    [References(typeof(Sheet))]
    public string? ParentSheetId { get; set; }

    /// <summary>Cards shown on the sheet (a list of <see langword="int"/> references).</summary>
    [References(typeof(Card))]
    public List<int> CardIds { get; set; } = new();

    /// <summary>Sheets this one links to (a list of <see langword="string"/> references); edited by updates.</summary>
    [References(typeof(Sheet))]
    public List<string> LinkedSheetIds { get; set; } = new();
}
