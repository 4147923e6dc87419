using System.Text;
using System.Text.Json.Nodes;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View;

namespace OfflineSync.Tests.Engine;

/// <summary>
/// Issue 11: several clients on one server. Every client numbers its creates -1, -2, …; a client learns a
/// mapping only for its own open creates, from the answer to its push or a row carrying its own client id (S3).
/// </summary>
public sealed class ManyClientsTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnotherClientsRowWithTheSameNumericOptimisticKey_NeverConfirmsThisClientsCreate()
    {
        // S3: client A created project -1 (now row 1) and edits it while B's own project -1 is queued; the feed shows
        // A's row with its origin -1 (a server that tells everyone, or says anything). B keeps its item, maps nothing,
        // and its edit and its child land on its own row once it syncs.
        await using var b = new SyncHarness(o => o.BatchSize = 1);
        var remaps = new List<IdRemappedEventArgs>();
        b.Client.IdRemapped += remaps.Add;
        await WaitLiveAsync(b.Client.Projects);
        Project mine = b.Client.Projects.Create(new Project { Name = "B's" });
        Attachment child = b.Client.Attachments.Create(new Attachment { FileName = "b.png", ProjectId = mine.Id });
        Assert.Equal(-1, mine.Id);

        b.Transport.Seed("projects", "1", "v2", """{"id":1,"name":"A's, edited"}""");
        b.Transport.Publish(ProjectEvent(ChangeKind.Added, 1, "v1", "A's", originClientId: "client-a"));
        b.Transport.Publish(ProjectEvent(ChangeKind.Changed, 2, "v2", "A's, edited", originClientId: "client-a"));
        b.Transport.Publish(ProjectEvent(ChangeKind.Changed, 3, "v2", "A's, edited", originClientId: null));
        await Poll.Until(() => b.Engine.FollowerOf<Project>()!.LastSequence >= 3, "the feed is applied", 30_000);

        Assert.Empty(remaps);
        Assert.False(b.Client.IdMap.TryResolve<Project, long>(-1, out _));
        Assert.True(b.Client.Projects.TryGet(-1, out Project? shown));
        Assert.Equal((-1L, "B's"), (shown.Id, shown.Name));
        Assert.Equal([1L, -1L], b.Client.Projects.Items.Select(static p => p.Id));

        b.Client.Projects.Update(-1, new ProjectPatch { Name = "B's, edited" });
        await b.Client.SyncAsync().WaitAsync(HangGuard);

        Assert.True(b.Client.IdMap.TryResolve<Project, long>(-1, out long ownRow));
        Assert.NotEqual(1L, ownRow);
        Assert.Equal([new IdRemappedEventArgs("projects", "-1", SyncKeys.Format(ownRow))], remaps);
        Assert.Equal("A's, edited", (string?)b.Transport.RowOf("projects", "1")!["name"]);
        Assert.Equal("B's, edited", (string?)b.Transport.RowOf("projects", SyncKeys.Format(ownRow))!["name"]);
        Assert.Equal(ownRow, (long?)b.Transport.RowOf("attachments", SyncKeys.Format(child.Id))!["projectId"]);
        Assert.Equal(2, b.Client.Projects.Items.Count);
    }

    [Fact]
    public async Task TwoClientsCreateMinusOne_EachMapsItToItsOwnRow_AndItsEditsLandThere()
    {
        // S3: both clients' first project is -1; each push answer maps it for the client that sent it.
        var server = new ScriptedTransport();
        await using var a = new SyncHarness(o => o.BatchSize = 1, transport: server);
        await using var b = new SyncHarness(o => o.BatchSize = 1, transport: server);
        Assert.NotEqual(a.ClientId, b.ClientId);
        Project fromA = a.Client.Projects.Create(new Project { Name = "A's" });
        Project fromB = b.Client.Projects.Create(new Project { Name = "B's" });
        Attachment childOfB = b.Client.Attachments.Create(new Attachment { FileName = "b.png", ProjectId = fromB.Id });
        Assert.Equal(fromA.Id, fromB.Id);

        await a.Client.SyncAsync().WaitAsync(HangGuard);
        a.Client.Projects.Update(fromA.Id, new ProjectPatch { Name = "A's, edited" });
        await a.Client.SyncAsync().WaitAsync(HangGuard);
        await b.Client.SyncAsync().WaitAsync(HangGuard);
        b.Client.Projects.Update(fromB.Id, new ProjectPatch { Name = "B's, edited" });
        await b.Client.SyncAsync().WaitAsync(HangGuard);

        Assert.True(a.Client.IdMap.TryResolve<Project, long>(-1, out long rowOfA));
        Assert.True(b.Client.IdMap.TryResolve<Project, long>(-1, out long rowOfB));
        Assert.NotEqual(rowOfA, rowOfB);
        Assert.Equal("A's, edited", (string?)server.RowOf("projects", SyncKeys.Format(rowOfA))!["name"]);
        Assert.Equal("B's, edited", (string?)server.RowOf("projects", SyncKeys.Format(rowOfB))!["name"]);
        Assert.Equal(rowOfB, (long?)server.RowOf("attachments", SyncKeys.Format(childOfB.Id))!["projectId"]);
        Assert.True(b.Client.Projects.TryGet(-1, out Project? shownByB) && shownByB.Name == "B's, edited");
        Assert.True(a.Client.Projects.TryGet(-1, out Project? shownByA) && shownByA.Name == "A's, edited");
    }

    private static ChangeEvent ProjectEvent(ChangeKind kind, long sequence, string version, string name, string? originClientId) =>
        new("projects", kind, sequence, "1", "-1", version, Encoding.UTF8.GetBytes(new JsonObject { ["id"] = 1, ["name"] = name, ["version"] = version }.ToJsonString()))
        {
            OriginClientId = originClientId,
        };

    private static Task WaitLiveAsync<T>(SyncSet<T> set)
        where T : class, ISyncEntity<T> =>
        Poll.Until(() => set.Status == SyncSetStatus.Live, $"the {set.Resource} set is live", 30_000);
}
