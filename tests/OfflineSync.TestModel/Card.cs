namespace OfflineSync.TestModel;

/// <summary>An <see langword="int"/>-keyed entity on a board.</summary>
[Syncable("cards")]
public partial class Card : IWorkspaceItem
{
    public int Id { get; set; }

    public string Title { get; set; } = "";

    public string Nonce { get; set; } = "";

    public string Stamp { get; set; } = "";

    [SyncVersion]
    public string? Version { get; set; }

    /// <summary>The board the card is on (a <see langword="long"/> reference from an <see langword="int"/>-keyed entity).</summary>
    [References(typeof(Board))]
    public long? BoardId { get; set; }

    /// <summary>A parent card.</summary>
    [References(typeof(Card))]
    public int? ParentCardId { get; set; }

    /// <summary>A card this one links to; edited by updates (parent slots never are).</summary>
    [References(typeof(Card))]
    public int? LinkedCardId { get; set; }
}
