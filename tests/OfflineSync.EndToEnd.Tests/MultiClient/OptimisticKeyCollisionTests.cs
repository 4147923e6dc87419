using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.MultiClient;

/// <summary>
/// Issue 11, item 1: every client numbers its creates -1, -2, …, so two clients' optimistic keys are
/// equal. A client must learn a mapping only from its own create (S3): another client's row with
/// the same origin key is not the confirmation of its create, whatever arrives first.
/// </summary>
public sealed class OptimisticKeyCollisionTests
{
    [Theory] // S3, S5, S18 with two clients
    [InlineData("long", false)]
    [InlineData("long", true)]
    [InlineData("int", false)]
    [InlineData("int", true)]
    [InlineData("string", false)]
    [InlineData("string", true)]
    [InlineData("guid", false)]
    [InlineData("guid", true)]
    public Task OfflineCreateAndChild_WhileAnotherClientEditsItsRowOfTheSameOptimisticKey_LandOnTheirOwnRows(string keyType, bool restartBeforeSync) => keyType switch
    {
        "long" => TwoClientsAsync(KeyedKinds.Long, restartBeforeSync),
        "int" => TwoClientsAsync(KeyedKinds.Int, restartBeforeSync),
        "string" => TwoClientsAsync(KeyedKinds.String, restartBeforeSync),
        _ => TwoClientsAsync(KeyedKinds.Guid, restartBeforeSync),
    };

    /// <summary>
    /// Alice creates offline (-1 → server key K) and syncs. Bob, online but pushing only when asked,
    /// creates offline (-1 again for numeric keys) and a child referencing it. Alice edits K while
    /// Bob's creates are queued, so Bob's feed brings a row whose origin is -1 before Bob's own answer:
    /// deterministic. Bob must not map -1 to K, his edits must land on his own row, and his child must
    /// reference it. With <paramref name="restartBeforeSync"/> Bob restarts in between, so whatever he
    /// learned is read back from his store.
    /// </summary>
    private static async Task TwoClientsAsync<T>(KeyedKind<T> kind, bool restartBeforeSync)
        where T : class, ISyncEntity<T>, IWorkspaceItem, new()
    {
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var aliceRemaps = new RemapLog();
        var bobRemaps = new RemapLog();

        WorkspaceSync alice = aliceRemaps.Attach(cluster.CreateClient("alice", online: false));
        string aliceOptimistic = T.GetKey(kind.Set(alice).Create(kind.New("alice's item", "alice-1")));
        alice.SetOnline(true);
        await alice.SyncAsync();
        Assert.Equal(0, alice.PendingCount);
        Assert.True(kind.Set(alice).TryGet(aliceOptimistic, out T? aliceConfirmed));
        string aliceKey = T.GetKey(aliceConfirmed);

        WorkspaceSync bob = bobRemaps.Attach(cluster.CreateClient("bob", autoSync: false));
        await Eventually.TrueAsync(() => kind.Set(bob).TryGet(aliceKey, out _), "bob's view holds alice's row", WorkspaceAssert.Patience);
        string bobOptimistic = T.GetKey(kind.Set(bob).Create(kind.New("bob's parent", "bob-1")));
        string bobChild = T.GetKey(kind.Set(bob).Create(kind.New("bob's child", "bob-2", parent: bobOptimistic)));
        if (kind.OptimisticKeysCollide)
        {
            Assert.Equal(aliceOptimistic, bobOptimistic); // the precondition: both clients' first create is -1
        }

        // Alice edits her row while Bob's creates wait in his queue: the change reaches Bob's feed first.
        kind.Set(alice).Update(aliceKey, item => (item.Title, item.Stamp) = ("alice's edit", "alice-u1"));
        await alice.SyncAsync();
        await Eventually.TrueAsync(
            () => bobRemaps.Events.Count > 0 || (kind.Set(bob).TryGet(aliceKey, out T? seen) && seen.Stamp == "alice-u1"),
            "bob's feed brings alice's edit", WorkspaceAssert.Patience);

        if (restartBeforeSync)
        {
            bob = bobRemaps.Attach(await cluster.RestartAsync(bob, autoSync: false));
        }

        await bob.SyncAsync();
        Assert.True(
            WorkspaceAssert.Local(kind.Set(bob), bobOptimistic)?.Nonce == "bob-1",
            $"After syncing, bob's optimistic key {bobOptimistic} finds {WorkspaceAssert.Local(kind.Set(bob), bobOptimistic)?.Json ?? "nothing"} instead of his own item (S3); bob's mappings: {bobRemaps.Describe()}.");
        kind.Set(bob).Update(bobOptimistic, item => (item.Title, item.Stamp) = ("bob's edit", "bob-u1"));
        await bob.SyncAsync();
        await Eventually.TrueAsync(() => bob.PendingCount == 0, "bob's queue drains", WorkspaceAssert.Patience);

        ServerSnapshot server = await cluster.SnapshotAsync();
        WorkspaceAssert.MappedOnlyToOwnRows("bob", bobRemaps, server, ["bob-1", "bob-2"]);
        WorkspaceAssert.MappedOnlyToOwnRows("alice", aliceRemaps, server, ["alice-1"]);

        ObservedRow aliceRow = WorkspaceAssert.Row(server, "alice-1");
        Assert.Equal(aliceKey, aliceRow.Key);
        Assert.Equal(("alice's edit", "alice-u1"), (aliceRow.Item!.Title, aliceRow.Item.Stamp)); // Bob's edit did not land on Alice's row

        ObservedRow bobRow = WorkspaceAssert.Row(server, "bob-1");
        Assert.NotEqual(aliceKey, bobRow.Key);
        Assert.Equal(("bob's edit", "bob-u1"), (bobRow.Item!.Title, bobRow.Item.Stamp));
        ObservedRow childRow = WorkspaceAssert.Row(server, "bob-2");
        Assert.Equal(bobRow.Key, kind.GetParent(SyncJson.Deserialize<T>(System.Text.Encoding.UTF8.GetBytes(childRow.Item!.Json))));
        Assert.Equal(3, server.Rows[T.ResourceName].Count);

        // S3: each optimistic key still finds its own item, in each client.
        Assert.Equal("bob-1", WorkspaceAssert.Local(kind.Set(bob), bobOptimistic)?.Nonce);
        Assert.Equal(bobRow.Key, WorkspaceAssert.Local(kind.Set(bob), bobOptimistic)?.Key);
        Assert.Equal("bob-2", WorkspaceAssert.Local(kind.Set(bob), bobChild)?.Nonce);
        Assert.Equal("alice-1", WorkspaceAssert.Local(kind.Set(alice), aliceOptimistic)?.Nonce);

        WorkspaceAssert.NoOptimisticKeyStored(server);
        await WorkspaceAssert.ConvergedAsync(cluster, alice, bob);
    }
}
