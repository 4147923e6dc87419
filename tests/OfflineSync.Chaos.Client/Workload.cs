using System.Globalization;
using OfflineSync.TestModel;

namespace OfflineSync.Chaos;

/// <summary>
/// The seeded random workload of one client incarnation: creates (children referencing parents,
/// cards and sheets on boards, often on items created offline and not confirmed yet), updates of
/// any client's items, deletes, and offline periods. Each call is journaled as an intent before
/// and as returned after it.
/// </summary>
internal sealed class Workload(WorkspaceSync client, Journal journal, ClientArguments arguments)
{
    private readonly Random _random = new(StableSeed.Of(arguments.Seed, arguments.ClientId, arguments.Incarnation));
    private int _counter;
    private DateTime _offlineUntil = DateTime.MinValue;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_random.Next(20, 120), cancellationToken).ConfigureAwait(false);
            if (_offlineUntil != DateTime.MinValue && DateTime.UtcNow >= _offlineUntil)
            {
                _offlineUntil = DateTime.MinValue;
                client.SetOnline(true);
                journal.Write(new JournalEntry { Op = "online" });
            }

            int dice = _random.Next(100);
            if (dice < 4)
            {
                GoOffline();
            }
            else if (dice < 18)
            {
                CreateBoard();
            }
            else if (dice < 32)
            {
                CreateCard();
            }
            else if (dice < 46)
            {
                CreateSheet();
            }
            else if (dice < 88)
            {
                Update();
            }
            else
            {
                Delete();
            }
        }
    }

    private void GoOffline()
    {
        if (_offlineUntil == DateTime.MinValue)
        {
            _offlineUntil = DateTime.UtcNow.AddMilliseconds(_random.Next(300, 2500));
            client.SetOnline(false);
            journal.Write(new JournalEntry { Op = "offline" });
        }
    }

    private string NextNonce() => string.Create(CultureInfo.InvariantCulture, $"{arguments.ClientId}.{arguments.Incarnation}.{++_counter}");

    private string NextStamp() => string.Create(CultureInfo.InvariantCulture, $"{arguments.ClientId}.{arguments.Incarnation}.u{++_counter}");

    private T? Pick<T>(IReadOnlyList<T> items, int percent)
        where T : class => items.Count > 0 && _random.Next(100) < percent ? items[_random.Next(items.Count)] : null;

    private void CreateBoard()
    {
        Board? parent = Pick(client.Boards.Items, 40);
        var board = new Board { Title = "board", Nonce = NextNonce(), ParentBoardId = parent?.Id };
        Create(client.Boards, board, [Reference("parentBoardId", parent)]);
    }

    private void CreateCard()
    {
        Board? board = Pick(client.Boards.Items, 80);
        Card? parent = Pick(client.Cards.Items, 40);
        var card = new Card { Title = "card", Nonce = NextNonce(), BoardId = board?.Id, ParentCardId = parent?.Id };
        Create(client.Cards, card, [Reference("boardId", board), Reference("parentCardId", parent)]);
    }

    private void CreateSheet()
    {
        Board? board = Pick(client.Boards.Items, 60);
        Sheet? parent = Pick(client.Sheets.Items, 40);
        Card? card = Pick(client.Cards.Items, 50);
        var sheet = new Sheet { Title = "sheet", Nonce = NextNonce(), BoardId = board?.Id, ParentSheetId = parent?.Id, CardIds = card is null ? [] : [card.Id] };
        Create(client.Sheets, sheet, [Reference("boardId", board), Reference("parentSheetId", parent), Reference("cardIds", card)]);
    }

    private void Create<T>(SyncSet<T> set, T item, JournalReference?[] references)
        where T : class, ISyncEntity<T>, IWorkspaceItem
    {
        item.Stamp = item.Nonce;
        journal.Write(new JournalEntry { Op = "create?", Resource = T.ResourceName, Nonce = item.Nonce, References = references.OfType<JournalReference>().ToArray() });
        T created = set.Create(item);
        journal.Write(new JournalEntry { Op = "create", Resource = T.ResourceName, Nonce = item.Nonce, Key = T.GetKey(created) });
    }

    private void Update()
    {
        switch (_random.Next(3))
        {
            case 0:
                Update(client.Boards, static (_, _) => { });
                break;
            case 1:
                Card? link = Pick(client.Cards.Items, 30);
                Update(client.Cards, (card, key) => card.LinkedCardId = link is not null && SyncKeys.Format(link.Id) != key ? link.Id : card.LinkedCardId);
                break;
            default:
                Sheet? linked = Pick(client.Sheets.Items, 30);
                Update(client.Sheets, (sheet, key) => sheet.LinkedSheetIds = linked is not null && linked.Id != key ? [linked.Id] : sheet.LinkedSheetIds);
                break;
        }
    }

    /// <summary>Edits a random item's title and stamp (and, through <paramref name="more"/>, a link slot; never a parent).</summary>
    private void Update<T>(SyncSet<T> set, Action<T, string> more)
        where T : class, ISyncEntity<T>, IWorkspaceItem
    {
        T? target = Pick(set.Items, 100);
        if (target is null)
        {
            return;
        }

        string key = T.GetKey(target);
        string stamp = NextStamp();
        journal.Write(new JournalEntry { Op = "update?", Resource = T.ResourceName, Nonce = target.Nonce, Key = key, Stamp = stamp });
        try
        {
            set.Update(key, item =>
            {
                item.Title = "edited " + stamp;
                item.Stamp = stamp;
                more(item, key);
            });
        }
        catch (KeyNotFoundException)
        {
            // The feed removed the item since it was picked: the call did not return an update.
            journal.Write(new JournalEntry { Op = "update-missed", Resource = T.ResourceName, Nonce = target.Nonce, Key = key, Stamp = stamp });
            return;
        }

        journal.Write(new JournalEntry { Op = "update", Resource = T.ResourceName, Nonce = target.Nonce, Key = key, Stamp = stamp });
    }

    private void Delete()
    {
        switch (_random.Next(3))
        {
            case 0:
                Delete(client.Boards);
                break;
            case 1:
                Delete(client.Cards);
                break;
            default:
                Delete(client.Sheets);
                break;
        }
    }

    private void Delete<T>(SyncSet<T> set)
        where T : class, ISyncEntity<T>, IWorkspaceItem
    {
        T? target = Pick(set.Items, 100);
        if (target is null)
        {
            return;
        }

        string key = T.GetKey(target);
        journal.Write(new JournalEntry { Op = "delete?", Resource = T.ResourceName, Nonce = target.Nonce, Key = key });
        set.Delete(key);
        journal.Write(new JournalEntry { Op = "delete", Resource = T.ResourceName, Nonce = target.Nonce, Key = key });
    }

    private static JournalReference? Reference<T>(string slot, T? target)
        where T : class, ISyncEntity<T>, IWorkspaceItem =>
        target is null ? null : new JournalReference(slot, T.ResourceName, target.Nonce);
}
