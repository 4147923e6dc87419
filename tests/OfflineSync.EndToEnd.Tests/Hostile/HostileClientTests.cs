using System.Globalization;
using System.Text;
using System.Text.Json;
using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.Protocol;
using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.Hostile;

/// <summary>
/// Issue 11, items 2 and 3: a client that sends what it likes (Mallory, raw HTTP) next to a real
/// client (Alice, the engine over <c>HttpSyncTransport</c>). Idempotency records belong to the client
/// that made them, origins to the client that created the row: nothing Mallory sends misdirects
/// Alice's writes, and nothing of Alice's is answered to Mallory.
/// </summary>
public sealed class HostileClientTests
{
    [Theory] // S3, DESIGN §6 idempotency: (client, key) → response; another client's key is never answered from the store
    [InlineData("single")]
    [InlineData("batch")]
    [InlineData("no client id")]
    public async Task AnotherClientReplaysAKeyWithTheSameBody_IsNotAnsweredFromTheStore(string how)
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var recorder = new RecordingHandler();
        WorkspaceSync alice = cluster.CreateClient("alice", handler: recorder);
        string optimistic = alice.Sheets.Create(new Sheet { Title = "alice's sheet", Nonce = "alice-1" }).Id;
        await alice.SyncAsync();
        Assert.True(alice.Sheets.TryGet(optimistic, out Sheet? confirmed));
        string aliceKey = confirmed.Id;
        RecordedRequest create = Assert.Single(recorder.Writes);
        var mallory = new Mallory(cluster.Server.Address);

        string? replayedKey;
        bool replayed;
        if (how == "batch")
        {
            string batch = $$$"""{"mutations":[{"resource":"sheets","kind":"create","key":{{{Json(optimistic)}}},"optimisticKey":{{{Json(optimistic)}}},"idempotencyKey":{{{Json(create.IdempotencyKey!)}}},"clientId":"mallory","data":{{{Encoding.UTF8.GetString(create.Body)}}}}]}""";
            RawResponse response = await mallory.SendAsync("POST", "/sync/batch", batch);
            Assert.True(response.Status < 500, $"The batch answered {response}");
            JsonElement result = response.Status == 200 ? JsonDocument.Parse(response.Body).RootElement.GetProperty("results")[0] : default;
            replayed = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("replayed", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
            replayedKey = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("key", out JsonElement key) ? key.GetString() : null;
        }
        else
        {
            (string, string)[] headers = [(SyncHeaderNames.IdempotencyKey, create.IdempotencyKey!), (SyncHeaderNames.OptimisticId, create.OptimisticId!)];
            RawResponse response = how == "single"
                ? await mallory.SendAsync("POST", create.PathAndQuery, create.Body, headers)
                : await mallory.SendAnonymouslyAsync("POST", create.PathAndQuery, create.Body, headers);
            Assert.True(response.Status < 500, $"The replay answered {response}");
            replayed = response.Header(SyncHeaderNames.Replayed) == "true";
            replayedKey = response.Header(SyncHeaderNames.SyncKey);
        }

        Assert.False(replayed, $"Mallory's request with Alice's idempotency key was answered from Alice's stored response (row {replayedKey}).");
        Assert.NotEqual(aliceKey, replayedKey);

        // Alice is undisturbed: her key still means her row, and her view equals the server.
        ServerSnapshot server = await WorkspaceAssert.ConvergedAsync(cluster, alice);
        Assert.Contains(server.Rows["sheets"], r => r.Key == aliceKey && r.Item!.Title == "alice's sheet");
        Assert.Equal(aliceKey, WorkspaceAssert.Local(alice.Sheets, optimistic)?.Key);
    }

    [Fact] // S9, DESIGN §6: a key another client used first does not make the owner's request a 422
    public async Task AnotherClientUsesTheNextPredictableKeyFirst_TheOwnersUpdateStillApplies()
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var recorder = new RecordingHandler();
        WorkspaceSync alice = cluster.CreateClient("alice", handler: recorder);
        var failures = new List<MutationFailedEventArgs>();
        alice.MutationFailed += (_, e) => { lock (failures) { failures.Add(e); } };
        alice.Boards.Create(new Board { Title = "alice's board", Nonce = "alice-1" });
        await alice.SyncAsync();
        long aliceKey = alice.Boards.Items.Single().Id;

        // {resource}:{kind}:{key}:{clientId}:{seq}: the create was seq n, so the next update is n + 1.
        string[] createKey = Assert.Single(recorder.Writes).IdempotencyKey!.Split(':');
        long next = long.Parse(createKey[^1], CultureInfo.InvariantCulture) + 1;
        string predicted = $"boards:update:{aliceKey}:alice:{next}";

        var mallory = new Mallory(cluster.Server.Address);
        string malloryKey = await mallory.CreateAsync("boards", new { id = -1, title = "mallory's board", nonce = "mallory-1" }, "mallory:1");
        RawResponse squat = await mallory.SendAsync("PATCH", $"/sync/boards/{malloryKey}", """{"title":"mallory's squat"}""", (SyncHeaderNames.IdempotencyKey, predicted));
        Assert.True(squat.Status < 500, $"Mallory's update answered {squat}");

        alice.Boards.Update(aliceKey, b => (b.Title, b.Stamp) = ("alice's real edit", "alice-u1"));
        await alice.SyncAsync();

        Assert.Equal(predicted, recorder.Writes[^1].IdempotencyKey); // the test did pre-empt the key Alice used
        Assert.True(alice.PendingCount == 0, $"Alice's update did not apply: {string.Join("; ", alice.GetPending())}");
        Assert.Empty(failures);
        ServerSnapshot server = await WorkspaceAssert.ConvergedAsync(cluster, alice);
        Assert.Equal("alice's real edit", WorkspaceAssert.Row(server, "alice-1").Item!.Title);
        Assert.Equal(squat.Status == 200 ? "mallory's squat" : "mallory's board", WorkspaceAssert.Row(server, "mallory-1").Item!.Title);
    }

    [Theory] // S3, DESIGN §6: the server lets only the creating client match an origin; issue 11, item 2
    [InlineData("boards")]
    [InlineData("cards")]
    [InlineData("sheets")]
    public async Task ForgedOptimisticIdOfAPendingCreate_NeverRedirectsTheOwnersEdits(string resource)
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var remaps = new RemapLog();
        WorkspaceSync alice = remaps.Attach(cluster.CreateClient("alice", online: false));
        string pending = resource switch
        {
            "boards" => SyncKeys.Format(alice.Boards.Create(new Board { Title = "alice's", Nonce = "alice-1" }).Id),
            "cards" => SyncKeys.Format(alice.Cards.Create(new Card { Title = "alice's", Nonce = "alice-1" }).Id),
            _ => alice.Sheets.Create(new Sheet { Title = "alice's", Nonce = "alice-1" }).Id,
        };
        Edit(alice, resource, pending, "alice's edit, offline");

        // Mallory claims Alice's pending key as the origin of a row of his own.
        var mallory = new Mallory(cluster.Server.Address);
        string body = $$"""{"id":{{(resource == "sheets" ? Json(pending) : pending)}},"title":"mallory's","nonce":"mallory-1"}""";
        RawResponse forged = await mallory.SendAsync("POST", $"/sync/{resource}", body, (SyncHeaderNames.IdempotencyKey, "mallory:forge"), (SyncHeaderNames.OptimisticId, pending));
        Assert.True(forged.Status < 500, $"The forged create answered {forged}");

        // Alice comes online and reads the rows before she pushes: Mallory's row is there to be mistaken for hers.
        alice = remaps.Attach(await cluster.RestartAsync(alice, autoSync: false));
        await Eventually.TrueAsync(
            () => remaps.Events.Count > 0 || ItemDescription.OfView(alice).Any(static i => i.Nonce == "mallory-1") || forged.Status != 201,
            "alice's view holds mallory's row", WorkspaceAssert.Patience);
        await alice.SyncAsync();
        await Eventually.TrueAsync(() => alice.PendingCount == 0, "alice's queue drains", WorkspaceAssert.Patience);

        ServerSnapshot server = await cluster.SnapshotAsync();
        WorkspaceAssert.MappedOnlyToOwnRows("alice", remaps, server, ["alice-1"]);
        ObservedRow aliceRow = WorkspaceAssert.Row(server, "alice-1");
        Assert.Equal("alice's edit, offline", aliceRow.Item!.Title);
        if (forged.Status == 201)
        {
            Assert.Equal("mallory's", WorkspaceAssert.Row(server, "mallory-1").Item!.Title);
        }

        // The mapping Alice keeps across restarts is to her own row.
        alice = remaps.Attach(await cluster.RestartAsync(alice));
        await WorkspaceAssert.ConvergedAsync(cluster, alice);
        Assert.Equal("alice-1", Local(alice, resource, pending)?.Nonce);
        Assert.Equal(aliceRow.Key, Local(alice, resource, pending)?.Key);
    }

    [Fact] // S15, DESIGN §6: origins are scoped to the creating client in lists, feeds and answers
    public async Task NothingOfAClientsOrigins_ReachesAnotherClient()
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var mallory = new Mallory(cluster.Server.Address);
        string malloryBoard = await mallory.CreateAsync("boards", new { id = -7, title = "mallory's board", nonce = "mallory-1" }, "mallory:1");
        using ServerObserver asMallory = cluster.Observe("mallory");
        (_, long before) = await asMallory.ListAsync("boards");

        var remaps = new RemapLog();
        WorkspaceSync alice = remaps.Attach(cluster.CreateClient("alice", online: false));
        long aliceOptimisticBoard = alice.Boards.Create(new Board { Title = "alice's board", Nonce = "alice-1" }).Id;
        string aliceOptimisticSheet = alice.Sheets.Create(new Sheet { Title = "alice's sheet", Nonce = "alice-2", BoardId = aliceOptimisticBoard }).Id;
        alice.SetOnline(true);
        await alice.SyncAsync();
        await Eventually.TrueAsync(() => alice.PendingCount == 0, "alice's queue drains", WorkspaceAssert.Patience);
        ServerSnapshot server = await cluster.SnapshotAsync();
        WorkspaceAssert.MappedOnlyToOwnRows("alice", remaps, server, ["alice-1", "alice-2"]);
        string aliceBoard = WorkspaceAssert.Row(server, "alice-1").Key;
        string aliceSheet = WorkspaceAssert.Row(server, "alice-2").Key;

        // Lists, the feed's snapshot and the feed's log, as Mallory sees them.
        var seen = new List<ObservedRow>();
        foreach (string resource in new[] { "boards", "sheets" })
        {
            seen.AddRange((await asMallory.ListAsync(resource)).Rows);
            seen.AddRange((await asMallory.ReadFeedAsync(resource, 0, TimeSpan.FromSeconds(30))).Select(static e => e.Row!));
            seen.AddRange((await asMallory.ReadFeedAsync(resource, before, TimeSpan.FromSeconds(30))).Select(static e => e.Row!));
        }

        ObservedRow[] alicesRows = seen.Where(r => r.Key == aliceBoard && r.Resource == "boards" || r.Key == aliceSheet && r.Resource == "sheets").ToArray();
        Assert.Equal(6, alicesRows.Length);
        foreach (ObservedRow row in alicesRows)
        {
            Assert.True(row.OriginOptimisticKey is null && row.OriginClientId is null, $"Mallory was shown the origin of alice's {row.Resource}/{row.Key}: '{row.OriginOptimisticKey}' of '{row.OriginClientId}'.");
        }

        // Answers to Mallory about Alice's rows: reading one, and writing one.
        RawResponse read = await mallory.SendAsync("GET", $"/sync/sheets/{aliceSheet}");
        Assert.Equal(200, read.Status);
        Assert.Null(read.Header(SyncHeaderNames.OptimisticId));
        RawResponse edit = await mallory.SendAsync("PATCH", $"/sync/sheets/{aliceSheet}", """{"title":"mallory was here"}""", (SyncHeaderNames.IdempotencyKey, "mallory:2"));
        Assert.Equal(200, edit.Status);
        Assert.Null(edit.Header(SyncHeaderNames.OptimisticId));
        RawResponse batch = await mallory.SendAsync("POST", "/sync/batch", $$$"""{"mutations":[{"resource":"boards","kind":"update","key":"{{{aliceBoard}}}","idempotencyKey":"mallory:3","clientId":"mallory","data":{"title":"mallory was here"}}]}""");
        Assert.Equal(200, batch.Status);
        JsonElement result = JsonDocument.Parse(batch.Body).RootElement.GetProperty("results")[0];
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.True(!result.TryGetProperty("optimisticKey", out JsonElement origin) || origin.ValueKind == JsonValueKind.Null, $"Mallory's batch answer carries alice's origin: {result}");

        // Alice herself is still told her origins, with her identity (S3, S15), and keeps her items.
        using ServerObserver asAlice = cluster.Observe("alice");
        ObservedRow ownBoard = (await asAlice.ListAsync("boards")).Rows.Single(r => r.Key == aliceBoard);
        ObservedRow ownSheet = (await asAlice.ListAsync("sheets")).Rows.Single(r => r.Key == aliceSheet);
        Assert.Equal((SyncKeys.Format(aliceOptimisticBoard), "alice"), (ownBoard.OriginOptimisticKey, ownBoard.OriginClientId));
        Assert.Equal((aliceOptimisticSheet, "alice"), (ownSheet.OriginOptimisticKey, ownSheet.OriginClientId));
        ObservedRow mallorysOwn = (await asMallory.ListAsync("boards")).Rows.Single(r => r.Key == malloryBoard);
        Assert.Equal(("-7", "mallory"), (mallorysOwn.OriginOptimisticKey, mallorysOwn.OriginClientId));

        await WorkspaceAssert.ConvergedAsync(cluster, alice);
        Assert.Equal("alice-2", WorkspaceAssert.Local(alice.Sheets, aliceOptimisticSheet)?.Nonce);
        Assert.Equal("mallory was here", WorkspaceAssert.Local(alice.Sheets, aliceOptimisticSheet)?.Title);
    }

    private static void Edit(WorkspaceSync client, string resource, string key, string title)
    {
        switch (resource)
        {
            case "boards":
                client.Boards.Update(key, b => (b.Title, b.Stamp) = (title, "alice-u1"));
                break;
            case "cards":
                client.Cards.Update(key, c => (c.Title, c.Stamp) = (title, "alice-u1"));
                break;
            default:
                client.Sheets.Update(key, s => (s.Title, s.Stamp) = (title, "alice-u1"));
                break;
        }
    }

    private static ItemDescription? Local(WorkspaceSync client, string resource, string key) => resource switch
    {
        "boards" => WorkspaceAssert.Local(client.Boards, key),
        "cards" => WorkspaceAssert.Local(client.Cards, key),
        _ => WorkspaceAssert.Local(client.Sheets, key),
    };

    private static string Json(string value) => JsonSerializer.Serialize(value);
}
