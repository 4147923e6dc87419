using System.Text;
using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.MultiClient;

/// <summary>
/// Three clients with SQLite queues over real Kestrel, every key type: offline sessions with
/// children referencing parents created offline, edits racing creates of another client, a second
/// offline round through the optimistic keys. Each client's items and edits must land on its own
/// rows, once, and every view must end equal to the server.
/// </summary>
public sealed class ThreeClientTests
{
    private static readonly string[] Names = ["alice", "bob", "carol"];

    [Fact] // S3, S5, S6, S12, S13, S18 with three clients
    public async Task OfflineSessions_WhileAnotherClientEditsRowsOfTheSameOptimisticKeys_EveryItemAndEditLandsOnItsOwnRowOnce()
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        Dictionary<string, RemapLog> remaps = Names.ToDictionary(static n => n, static _ => new RemapLog());

        // Carol's session reaches the server first: her rows carry the origin keys -1, -2, … that Alice and Bob use too.
        WorkspaceSync carol = remaps["carol"].Attach(cluster.CreateClient("carol", online: false));
        OfflineSession carolSession = OfflineSession.Run(carol, "carol");
        carol.SetOnline(true);
        await carol.SyncAsync();
        Assert.True(carol.PendingCount == 0, string.Join("; ", carol.GetPending()));

        // Alice and Bob work offline, then come online pushing only when asked: their creates wait while the feeds run.
        WorkspaceSync alice = remaps["alice"].Attach(cluster.CreateClient("alice", online: false, autoSync: false));
        WorkspaceSync bob = remaps["bob"].Attach(cluster.CreateClient("bob", online: false, autoSync: false));
        OfflineSession aliceSession = OfflineSession.Run(alice, "alice");
        OfflineSession bobSession = OfflineSession.Run(bob, "bob");
        alice.SetOnline(true);
        bob.SetOnline(true);
        foreach (WorkspaceSync waiting in new[] { alice, bob })
        {
            await Eventually.TrueAsync(() => Stamps(waiting, carolSession).All(static s => s is not null), $"{waiting.Options.ClientId} sees carol's rows", WorkspaceAssert.Patience);
        }

        // Carol edits all her rows through her optimistic keys (S3) while Alice's and Bob's creates are queued.
        EditAll(carol, carolSession, "carol's edit", "carol-edit");
        await carol.SyncAsync();
        foreach (WorkspaceSync waiting in new[] { alice, bob })
        {
            await Eventually.TrueAsync(
                () => remaps[waiting.Options.ClientId!].Events.Count > 0 || Stamps(waiting, carolSession).All(static s => s == "carol-edit"),
                $"{waiting.Options.ClientId} sees carol's edits", WorkspaceAssert.Patience);
        }

        await Task.WhenAll(alice.SyncAsync(), bob.SyncAsync());
        await Eventually.TrueAsync(() => alice.PendingCount == 0 && bob.PendingCount == 0, "alice's and bob's queues drain", WorkspaceAssert.Patience);
        ServerSnapshot afterFirstRound = await cluster.SnapshotAsync();
        foreach (OfflineSession session in new[] { aliceSession, bobSession, carolSession })
        {
            WorkspaceAssert.MappedOnlyToOwnRows(session.Client, remaps[session.Client], afterFirstRound, session.Nonces.Select(session.Nonce).ToArray());
        }

        await WorkspaceAssert.ConvergedAsync(cluster, alice, bob, carol);

        // Second round, offline again: each edits its card through the optimistic key, creates a card on its
        // first board by the optimistic key, and edits its neighbour's board by the server key.
        // Alice and Bob restart first (their optimistic keys now resolve through the stored ID map) and reload the rows.
        alice = remaps["alice"].Attach(await cluster.RestartAsync(alice));
        bob = remaps["bob"].Attach(await cluster.RestartAsync(bob));
        await WorkspaceAssert.ConvergedAsync(cluster, alice, bob, carol);
        alice.SetOnline(false);
        bob.SetOnline(false);
        carol.SetOnline(false);
        var clients = new Dictionary<string, WorkspaceSync> { ["alice"] = alice, ["bob"] = bob, ["carol"] = carol };
        var sessions = new Dictionary<string, OfflineSession> { ["alice"] = aliceSession, ["bob"] = bobSession, ["carol"] = carolSession };
        var cards2 = new Dictionary<string, Card>();
        foreach (string name in Names)
        {
            WorkspaceSync client = clients[name];
            OfflineSession session = sessions[name];
            string neighbour = Neighbour(name);
            client.Cards.Update(session.Card.Id, c => (c.Title, c.Stamp) = ($"{name} card, round 2", $"{name}-u2"));
            cards2[name] = client.Cards.Create(new Card { Title = $"{name} second card", Nonce = $"{name}-card2", BoardId = session.Board.Id });
            long neighbourBoard = client.Boards.Items.Single(b => b.Nonce == $"{neighbour}-board").Id;
            client.Boards.Update(neighbourBoard, b => (b.Title, b.Stamp) = ($"edited by {name}", $"{name}-n2"));
        }

        foreach (WorkspaceSync client in clients.Values)
        {
            client.SetOnline(true);
        }

        await Task.WhenAll(clients.Values.Select(static c => c.SyncAsync()));
        ServerSnapshot server = await WorkspaceAssert.ConvergedAsync(cluster, alice, bob, carol);

        Assert.Equal((6, 9, 6, 6), (server.Rows["boards"].Count, server.Rows["cards"].Count, server.Rows["sheets"].Count, server.Rows["stickers"].Count));
        foreach (string name in Names)
        {
            OfflineSession session = sessions[name];
            string[] nonces = [.. session.Nonces.Select(session.Nonce), $"{name}-card2"];
            WorkspaceAssert.MappedOnlyToOwnRows(name, remaps[name], server, nonces);
            AssertReferencesOwnRows(server, session);
            Assert.Equal(Key(server, session.Nonce("board")), SyncKeys.Format(Entity<Card>(server, $"{name}-card2").BoardId!.Value));

            // The edits landed on the rows they were made on.
            Assert.Equal($"edited by {Editor(name)}", Entity<Board>(server, session.Nonce("board")).Title);
            Assert.Equal($"{name} card, round 2", Entity<Card>(server, session.Nonce("card")).Title);
            string expectedSubSheet = name == "carol" ? "carol's edit" : $"{name} sub-sheet";
            Assert.Equal(expectedSubSheet, Entity<Sheet>(server, session.Nonce("subsheet")).Title);

            // S3: every optimistic key still finds the client's own item.
            WorkspaceSync client = clients[name];
            Assert.Equal(session.Nonce("board"), WorkspaceAssert.Local(client.Boards, SyncKeys.Format(session.Board.Id))?.Nonce);
            Assert.Equal(session.Nonce("subcard"), WorkspaceAssert.Local(client.Cards, SyncKeys.Format(session.SubCard.Id))?.Nonce);
            Assert.Equal(session.Nonce("subsheet"), WorkspaceAssert.Local(client.Sheets, session.SubSheet.Id)?.Nonce);
            Assert.Equal(session.Nonce("substicker"), WorkspaceAssert.Local(client.Stickers, SyncKeys.Format(session.SubSticker.Id))?.Nonce);
            Assert.Equal($"{name}-card2", WorkspaceAssert.Local(client.Cards, SyncKeys.Format(cards2[name].Id))?.Nonce);
        }

        WorkspaceAssert.NoOptimisticKeyStored(server);
    }

    [Fact] // S3, S5, S8, S18: drains running at the same time as another client's stream of edits
    public async Task ConcurrentDrains_WhileAnotherClientKeepsEditingItsRows_EveryItemLandsOnItsOwnRowOnce()
    {
        const int Parents = 15;
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        Dictionary<string, RemapLog> remaps = Names.ToDictionary(static n => n, static _ => new RemapLog());
        var clients = Names.ToDictionary(n => n, n => remaps[n].Attach(cluster.CreateClient(n, online: false)));
        var optimistic = new Dictionary<string, (string Resource, string Key)>();

        foreach ((string name, WorkspaceSync client) in clients)
        {
            for (int i = 0; i < Parents; i++)
            {
                Board board = client.Boards.Create(new Board { Title = $"{name} board {i}", Nonce = $"{name}-b{i}" });
                Card card = client.Cards.Create(new Card { Title = $"{name} card {i}", Nonce = $"{name}-c{i}", BoardId = board.Id });
                Sheet sheet = client.Sheets.Create(new Sheet { Title = $"{name} sheet {i}", Nonce = $"{name}-s{i}", BoardId = board.Id, CardIds = [card.Id] });
                optimistic[$"{name}-b{i}"] = ("boards", SyncKeys.Format(board.Id));
                optimistic[$"{name}-c{i}"] = ("cards", SyncKeys.Format(card.Id));
                optimistic[$"{name}-s{i}"] = ("sheets", sheet.Id);
            }
        }

        // Carol goes first, then keeps editing her rows while Alice and Bob drain theirs.
        WorkspaceSync carol = clients["carol"];
        carol.SetOnline(true);
        await carol.SyncAsync();
        Assert.Equal(0, carol.PendingCount);
        clients["alice"].SetOnline(true);
        clients["bob"].SetOnline(true);
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < Parents; i++)
            {
                carol.Boards.Update(optimistic[$"carol-b{i}"].Key, b => (b.Title, b.Stamp) = ($"carol board {i}, round {round}", $"carol-{i}-{round}"));
            }

            await carol.SyncAsync();
        }

        await Task.WhenAll(clients.Values.Select(static c => c.SyncAsync()));
        await Eventually.TrueAsync(() => clients.Values.All(static c => c.PendingCount == 0), "every queue drains", WorkspaceAssert.Patience);
        ServerSnapshot drained = await cluster.SnapshotAsync();
        foreach ((string name, WorkspaceSync client) in clients)
        {
            WorkspaceAssert.MappedOnlyToOwnRows(name, remaps[name], drained, optimistic.Keys.Where(n => n.StartsWith(name + "-", StringComparison.Ordinal)).ToArray());
        }

        ServerSnapshot server = await WorkspaceAssert.ConvergedAsync(cluster, [.. clients.Values]);

        Assert.Equal((3 * Parents, 3 * Parents, 3 * Parents), (server.Rows["boards"].Count, server.Rows["cards"].Count, server.Rows["sheets"].Count));
        foreach ((string name, WorkspaceSync client) in clients)
        {
            WorkspaceAssert.MappedOnlyToOwnRows(name, remaps[name], server, optimistic.Keys.Where(n => n.StartsWith(name + "-", StringComparison.Ordinal)).ToArray());
            for (int i = 0; i < Parents; i++)
            {
                string board = Key(server, $"{name}-b{i}");
                string card = Key(server, $"{name}-c{i}");
                Assert.Equal(board, SyncKeys.Format(Entity<Card>(server, $"{name}-c{i}").BoardId!.Value));
                Sheet sheet = Entity<Sheet>(server, $"{name}-s{i}");
                Assert.Equal((board, card), (SyncKeys.Format(sheet.BoardId!.Value), SyncKeys.Format(Assert.Single(sheet.CardIds))));
                Assert.Equal(name == "carol" ? $"carol board {i}, round 4" : $"{name} board {i}", Entity<Board>(server, $"{name}-b{i}").Title);
            }

            foreach ((string nonce, (string resource, string key)) in optimistic.Where(o => o.Key.StartsWith(name + "-", StringComparison.Ordinal)))
            {
                ItemDescription? local = resource switch
                {
                    "boards" => WorkspaceAssert.Local(client.Boards, key),
                    "cards" => WorkspaceAssert.Local(client.Cards, key),
                    _ => WorkspaceAssert.Local(client.Sheets, key),
                };
                Assert.True(local?.Nonce == nonce, $"{name}'s optimistic key {resource}/{key} finds {local?.Json ?? "nothing"} instead of its own item '{nonce}' (S3).");
            }
        }

        WorkspaceAssert.NoOptimisticKeyStored(server);
    }

    private static string Neighbour(string name) => Names[(Array.IndexOf(Names, name) + 1) % Names.Length];

    private static string Editor(string name) => Names[(Array.IndexOf(Names, name) + Names.Length - 1) % Names.Length];

    private static void EditAll(WorkspaceSync sync, OfflineSession s, string title, string stamp)
    {
        sync.Boards.Update(s.Board.Id, b => (b.Title, b.Stamp) = (title, stamp));
        sync.Boards.Update(s.SubBoard.Id, b => (b.Title, b.Stamp) = (title, stamp));
        sync.Cards.Update(s.Card.Id, c => (c.Title, c.Stamp) = (title, stamp));
        sync.Cards.Update(s.SubCard.Id, c => (c.Title, c.Stamp) = (title, stamp));
        sync.Sheets.Update(s.Sheet.Id, sh => (sh.Title, sh.Stamp) = (title, stamp));
        sync.Sheets.Update(s.SubSheet.Id, sh => (sh.Title, sh.Stamp) = (title, stamp));
        sync.Stickers.Update(s.Sticker.Id, st => (st.Title, st.Stamp) = (title, stamp));
        sync.Stickers.Update(s.SubSticker.Id, st => (st.Title, st.Stamp) = (title, stamp));
    }

    /// <summary>The stamps another client's view shows for the rows of <paramref name="s"/>, found by nonce (null: not seen).</summary>
    private static IEnumerable<string?> Stamps(WorkspaceSync viewer, OfflineSession s)
    {
        IEnumerable<IWorkspaceItem> items = viewer.Boards.Items.Cast<IWorkspaceItem>()
            .Concat(viewer.Cards.Items).Concat(viewer.Sheets.Items).Concat(viewer.Stickers.Items);
        Dictionary<string, string> byNonce = items.GroupBy(static i => i.Nonce).ToDictionary(static g => g.Key, static g => g.Last().Stamp);
        return s.Nonces.Select(n => byNonce.GetValueOrDefault(s.Nonce(n)));
    }

    private static void AssertReferencesOwnRows(ServerSnapshot server, OfflineSession s)
    {
        string K(string item) => Key(server, s.Nonce(item));
        string context = $"{s.Client}'s items reference {s.Client}'s rows";
        Assert.True(K("board") == SyncKeys.Format(Entity<Board>(server, s.Nonce("subboard")).ParentBoardId!.Value), context);
        Card card = Entity<Card>(server, s.Nonce("card"));
        Assert.True(K("board") == SyncKeys.Format(card.BoardId!.Value), context);
        Card subCard = Entity<Card>(server, s.Nonce("subcard"));
        Assert.Equal(
            (K("subboard"), K("card"), K("card")),
            (SyncKeys.Format(subCard.BoardId!.Value), SyncKeys.Format(subCard.ParentCardId!.Value), SyncKeys.Format(subCard.LinkedCardId!.Value)));
        Sheet sheet = Entity<Sheet>(server, s.Nonce("sheet"));
        Assert.Equal(K("board"), SyncKeys.Format(sheet.BoardId!.Value));
        Assert.Equal([K("card"), K("subcard")], sheet.CardIds.Select(SyncKeys.Format));
        Sheet subSheet = Entity<Sheet>(server, s.Nonce("subsheet"));
        Assert.Equal(K("sheet"), subSheet.ParentSheetId);
        Assert.Equal([K("sheet")], subSheet.LinkedSheetIds);
        Sticker sticker = Entity<Sticker>(server, s.Nonce("sticker"));
        Assert.Equal((K("subsheet"), K("subboard")), (sticker.SheetId, SyncKeys.Format(sticker.BoardId!.Value)));
        Sticker subSticker = Entity<Sticker>(server, s.Nonce("substicker"));
        Assert.Equal((K("sticker"), K("sheet")), (SyncKeys.Format(subSticker.ParentStickerId!.Value), subSticker.SheetId));
    }

    private static string Key(ServerSnapshot server, string nonce) => WorkspaceAssert.Row(server, nonce).Key;

    private static T Entity<T>(ServerSnapshot server, string nonce)
        where T : class, ISyncEntity<T> =>
        SyncJson.Deserialize<T>(Encoding.UTF8.GetBytes(WorkspaceAssert.Row(server, nonce).Item!.Json));
}
