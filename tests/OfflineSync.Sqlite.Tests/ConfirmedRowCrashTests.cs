using System.Text;
using OfflineSync.Tests.Engine;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// Issue 11, found by the chaos test (seed 303): the row a confirmed write left reaches the kept rows (S15) in the
/// transaction that records the answer. Written after it, a process killed in between came back showing the row as
/// before its own write, based its next edit on that older version, conflicted with itself, and ServerWins dropped the
/// edit although nobody else had touched the row.
/// </summary>
public sealed class ConfirmedRowCrashTests : IAsyncDisposable
{
    private const string Row = """{"id":"t1","title":"old","completed":false,"tagIds":[]}""";
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly CrashedClients _clients = new();

    public ValueTask DisposeAsync() => _clients.DisposeAsync();

    [Fact]
    public async Task Crash_AtEveryStoreWriteWhileAnUpdateIsAnswered_TheRestartedClientBasesItsNextEditOnWhatTheServerHolds()
    {
        // S4, S10, S15
        (int queued, int total) = await CountWritesAsync();
        Assert.True(total > queued, "Answering the push wrote nothing.");
        bool answered = false;

        // Through the first write after the answer: a process killed right after recording it.
        for (int crashAt = queued + 1; crashAt <= total + 1; crashAt++)
        {
            string path = _clients.Folder.File($"crash-{crashAt}.db");
            ScriptedTransport server = Seeded();
            TestSync first = _clients.Open(new CrashingStore(SqliteMutationStore.Open(path), crashAt, keepsFeed: true), server);
            await ListedAsync(first);
            first.Todos.Update("t1", new TodoPatch { Title = "edited" });
            await first.SyncAsync().WaitAsync(HangGuard);
            Assert.Equal("v2", server.VersionOf("todos", "t1"));
            await _clients.CloseAsync(first);

            // Offline after the restart: only what the store kept can show the row and give the next edit its base.
            using SqliteMutationStore store = SqliteMutationStore.Open(path);
            TestSync second = _clients.Open(store, server, network: new FakeNetworkMonitor(online: false));
            string at = $"crash before store write {crashAt} (answer writes {queued + 1}-{total})";
            Assert.True(second.Todos.TryGet("t1", out Todo? shown), at);
            Assert.True(shown.Title == "edited", at);
            answered |= second.PendingCount == 0;
            if (second.PendingCount == 0)
            {
                // The answer was recorded: so was the row it left.
                Assert.True(shown.Version == "v2", $"{at}: the restarted client shows version {shown.Version}");
                second.Todos.Update("t1", new TodoPatch { Completed = true });
                Assert.Equal("v2", Assert.Single(store.Load().Pending).BaseVersion);
            }
            else
            {
                // The answer was not recorded: the update goes again, answered from the server's idempotency store.
                Assert.Equal(MutationKind.Update, Assert.Single(second.GetPending()).Kind);
            }

            await _clients.CloseAsync(second);
        }

        Assert.True(answered, "No crash point came after the answer was recorded.");
    }

    /// <summary>Runs the update with no crash; returns the store writes up to the update's enqueue and through its answer.</summary>
    private async Task<(int Queued, int Total)> CountWritesAsync()
    {
        var store = new CrashingStore(SqliteMutationStore.Open(_clients.Folder.File("no-crash.db")), int.MaxValue, keepsFeed: true);
        TestSync client = _clients.Open(store, Seeded());
        await ListedAsync(client);
        client.Todos.Update("t1", new TodoPatch { Title = "edited" });
        int queued = store.Writes;
        await client.SyncAsync().WaitAsync(HangGuard);
        Assert.Equal(0, client.PendingCount);
        return (queued, store.Writes);
    }

    /// <summary>A server holding one todo, with a position past 0: a resumable checkpoint needs one.</summary>
    private static ScriptedTransport Seeded()
    {
        var server = new ScriptedTransport();
        server.Publish(new ChangeEvent("tags", ChangeKind.Added, 7, "tag-1", null, "v1", Encoding.UTF8.GetBytes("""{"id":"tag-1","label":"x"}""")));
        server.Seed("todos", "t1", "v1", Row);
        return server;
    }

    /// <summary>Waits until every set listed its resource, so no list writes to the store while the crash points are counted.</summary>
    private static async Task ListedAsync(TestSync client)
    {
        using var timeout = new CancellationTokenSource(HangGuard);
        SyncSetStatus[] statuses() => [client.Attachments.Status, client.Categories.Status, client.Projects.Status, client.Tags.Status, client.Todos.Status, client.Users.Status];
        while (statuses().Any(static s => s != SyncSetStatus.Live) || !client.Todos.TryGet("t1", out _))
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
