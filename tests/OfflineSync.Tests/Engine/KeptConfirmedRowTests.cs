using System.Text;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

/// <summary>
/// The rows a store keeps for the next start (S15) hold the client's own confirmed writes, not only what the feed
/// brought (found by the chaos test): a client restarted before its feed caught up showed its rows as they were before
/// its own confirmed update, based its next edit on that version, conflicted with itself, and ServerWins dropped the edit.
/// </summary>
public sealed class KeptConfirmedRowTests
{
    [Fact]
    public async Task Restart_BeforeTheFeedBringsAConfirmedUpdate_ShowsItAndBasesTheNextEditOnItsVersion()
    {
        // S10, S15
        var store = new InMemoryMutationStore();
        await using var harness = new SyncHarness(store: store);
        TestSync sync = harness.Client;
        harness.Transport.Seed("todos", "t1", "v1", """{"id":"t1","title":"old","completed":false,"tagIds":[]}""");

        // The list's position: a resumable checkpoint needs one past 0.
        harness.Transport.Publish(new ChangeEvent("tags", ChangeKind.Added, 7, "tag-1", null, "v1", Encoding.UTF8.GetBytes("""{"id":"tag-1","label":"x"}""")));
        await harness.RelistAsync(sync.Todos);
        Assert.True(sync.Todos.TryGet("t1", out _));

        sync.Todos.Update("t1", new TodoPatch { Title = "edited" });
        await sync.SyncAsync();
        Assert.Equal("v2", harness.Transport.VersionOf("todos", "t1"));
        await sync.DisposeAsync();

        // Offline after the restart: only the kept rows can show the item; the feed never sent the change.
        await using var restarted = new TestSync(new SyncOptions
        {
            Transport = harness.Transport,
            Store = store,
            TimeProvider = harness.Time,
            AutoSync = false,
            NetworkMonitor = new FakeNetworkMonitor(online: false),
        });

        Assert.True(restarted.Todos.TryGet("t1", out Todo? shown));
        Assert.Equal(("edited", "v2"), (shown.Title, shown.Version));
        restarted.Todos.Update("t1", new TodoPatch { Completed = true });
        Assert.Equal("v2", Assert.Single(store.Load().Pending).BaseVersion);
    }

    [Fact]
    public async Task Restart_BeforeTheFeedBringsAConfirmedDelete_DoesNotShowTheRowAgain()
    {
        // S15, S16: no ghost of a row the client deleted itself.
        var store = new InMemoryMutationStore();
        await using var harness = new SyncHarness(store: store);
        TestSync sync = harness.Client;
        harness.Transport.Seed("todos", "t1", "v1", """{"id":"t1","title":"old","completed":false,"tagIds":[]}""");
        harness.Transport.Publish(new ChangeEvent("tags", ChangeKind.Added, 7, "tag-1", null, "v1", Encoding.UTF8.GetBytes("""{"id":"tag-1","label":"x"}""")));
        await harness.RelistAsync(sync.Todos);

        sync.Todos.Delete("t1");
        await sync.SyncAsync();
        Assert.Null(harness.Transport.RowOf("todos", "t1"));
        await sync.DisposeAsync();

        await using var restarted = new TestSync(new SyncOptions
        {
            Transport = harness.Transport,
            Store = store,
            TimeProvider = harness.Time,
            AutoSync = false,
            NetworkMonitor = new FakeNetworkMonitor(online: false),
        });

        Assert.False(restarted.Todos.TryGet("t1", out _));
        Assert.Empty(restarted.Todos.Items);
    }
}
