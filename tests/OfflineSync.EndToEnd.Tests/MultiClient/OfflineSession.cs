using OfflineSync.TestModel;

namespace OfflineSync.EndToEnd.Tests.MultiClient;

/// <summary>
/// One client's offline session over the whole model: a parent and a child of every key type,
/// references across resources, and edits of the items before they were ever sent. Every client
/// runs the same calls, so numeric optimistic keys are equal across clients.
/// </summary>
internal sealed class OfflineSession
{
    private OfflineSession(string client) => Client = client;

    public string Client { get; }

    public Board Board { get; private set; } = null!;

    public Board SubBoard { get; private set; } = null!;

    public Card Card { get; private set; } = null!;

    public Card SubCard { get; private set; } = null!;

    public Sheet Sheet { get; private set; } = null!;

    public Sheet SubSheet { get; private set; } = null!;

    public Sticker Sticker { get; private set; } = null!;

    public Sticker SubSticker { get; private set; } = null!;

    /// <summary>The nonces of every create of the session.</summary>
    public IReadOnlyList<string> Nonces => ["board", "subboard", "card", "subcard", "sheet", "subsheet", "sticker", "substicker"];

    public string Nonce(string item) => $"{Client}-{item}";

    public static OfflineSession Run(WorkspaceSync sync, string client)
    {
        var s = new OfflineSession(client);
        s.Board = sync.Boards.Create(new Board { Title = $"{client} board", Nonce = s.Nonce("board") });
        s.SubBoard = sync.Boards.Create(new Board { Title = $"{client} sub-board", Nonce = s.Nonce("subboard"), ParentBoardId = s.Board.Id });
        s.Card = sync.Cards.Create(new Card { Title = $"{client} card", Nonce = s.Nonce("card"), BoardId = s.Board.Id });
        s.SubCard = sync.Cards.Create(new Card { Title = $"{client} sub-card", Nonce = s.Nonce("subcard"), BoardId = s.SubBoard.Id, ParentCardId = s.Card.Id });
        s.Sheet = sync.Sheets.Create(new Sheet { Title = $"{client} sheet", Nonce = s.Nonce("sheet"), BoardId = s.Board.Id, CardIds = [s.Card.Id, s.SubCard.Id] });
        s.SubSheet = sync.Sheets.Create(new Sheet { Title = $"{client} sub-sheet", Nonce = s.Nonce("subsheet"), ParentSheetId = s.Sheet.Id });
        s.Sticker = sync.Stickers.Create(new Sticker { Title = $"{client} sticker", Nonce = s.Nonce("sticker"), SheetId = s.SubSheet.Id, BoardId = s.SubBoard.Id });
        s.SubSticker = sync.Stickers.Create(new Sticker { Title = $"{client} sub-sticker", Nonce = s.Nonce("substicker"), ParentStickerId = s.Sticker.Id, SheetId = s.Sheet.Id });

        // Edits of items never sent yet: they fold into their creates or follow them (S6), references remapped (S3).
        sync.Boards.Update(s.Board.Id, b => (b.Title, b.Stamp) = ($"{client} board, edited offline", $"{client}-u1"));
        sync.Cards.Update(s.SubCard.Id, c => c.LinkedCardId = s.Card.Id);
        sync.Sheets.Update(s.SubSheet.Id, sh => sh.LinkedSheetIds = [s.Sheet.Id]);
        return s;
    }
}
