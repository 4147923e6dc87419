using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>
/// The view's side of a restart (S15): the follower keeps the rows and the position in the store while it follows, a
/// new follower over the same store shows them and resumes after them, and what a restart cannot know any more (a
/// create the feed had already confirmed) is restored so no late answer brings back a removed row (S16).
/// </summary>
public sealed class FeedCheckpointTests
{
    private const string Optimistic = "optimistic_01HZX0000000000000000000C1";
    private static readonly string Resource = ViewTodo.ResourceName;

    private readonly ScriptedFeed _server = new();
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryMutationStore _store = new();

    [Fact]
    public async Task WhileFollowing_TheStoreKeepsTheViewsRowsAndPosition()
    {
        Put("a", "A", "1");
        Put("b", "B", "1");
        var view = new LocalView<ViewTodo>(ClientId);
        FeedFollower<ViewTodo> follower = Followers.Create(_server, view, _time, _store);
        follower.Start();
        await Poll.Until(() => view.Status == SyncSetStatus.Live, "live");
        Assert.Equal(2, _store.LoadFeedCheckpoint(Resource)!.Sequence); // the list is kept at once

        Put("c", "C", "1");
        _server.Put(Resource, "a", null, "2", Json(Todo("a", "A changed", "2")), ChangeKind.Changed);
        _server.Remove(Resource, "b");
        await Poll.Until(() => follower.LastSequence == 5, "the events are applied");
        Assert.Equal(2, _store.LoadFeedCheckpoint(Resource)!.Sequence); // events wait for more, or for the delay

        _time.Advance(FeedCheckpointWriter<ViewTodo>.WriteDelay);
        await Poll.Until(() => _store.LoadFeedCheckpoint(Resource)!.Sequence == 5, "the delay passed");
        await follower.StopAsync();

        FeedCheckpoint kept = _store.LoadFeedCheckpoint(Resource)!;
        Assert.Equal(EntityContract<ViewTodo>.Fingerprint, kept.Contract);
        Assert.Equal(["a:A changed:2", "c:C:1"], kept.Rows.OrderBy(static r => r.Key, StringComparer.Ordinal)
            .Select(static r => { ViewTodo t = SyncJson.Deserialize<ViewTodo>(r.Data.Span); return $"{r.Key}:{t.Title}:{r.Version}"; }));
    }

    [Fact]
    public async Task NewFollowerOverTheSameStore_ShowsTheKeptRows_AndResumesAfterThem()
    {
        // S15 after a restart: no list, the feed resumes after the kept position.
        Put("a", "A", "1");
        var before = new LocalView<ViewTodo>(ClientId);
        FeedFollower<ViewTodo> first = Followers.Create(_server, before, _time, _store);
        first.Start();
        await Poll.Until(() => before.Status == SyncSetStatus.Live, "live");
        Put("b", "B", "1");
        await Poll.Until(() => first.LastSequence == 2, "the event is applied");
        await first.StopAsync();
        Put("c", "C", "1");
        int lists = _server.ListCalls;

        var after = new LocalView<ViewTodo>(ClientId);
        FeedFollower<ViewTodo> restarted = Followers.Create(_server, after, _time, _store);
        Assert.Equal(["a", "b"], after.Items.Keys());
        Assert.Equal(2, restarted.LastSequence);

        restarted.Start();
        await Poll.Until(() => after.Items.Count == 3, "the missed change is applied");
        await restarted.StopAsync();

        Assert.Equal(lists, _server.ListCalls);
        Assert.Equal(2L, _server.FollowCalls[^1]);
    }

    [Fact]
    public async Task KeptRowsThatNoLongerRead_AreDropped_AndTheSetLists()
    {
        // Rows the model cannot read (a changed type) must not keep the set from starting.
        _store.WriteFeedCheckpoint(new FeedCheckpointWrite
        {
            Resource = Resource,
            Contract = EntityContract<ViewTodo>.Fingerprint,
            Reset = true,
            Rows = [new ListItem("a", null, "1", Json("""{"id":"a","completed":"not a bool"}"""))],
            Sequence = 9,
        });
        Put("b", "B", "1");
        var view = new LocalView<ViewTodo>(ClientId);

        FeedFollower<ViewTodo> follower = Followers.Create(_server, view, _time, _store);
        Assert.Empty(view.Items);
        Assert.Equal(0, follower.LastSequence);
        follower.Start();
        await Poll.Until(() => view.Status == SyncSetStatus.Live, "listed");
        await follower.StopAsync();

        Assert.Equal(["b"], view.Items.Keys());
        Assert.Equal(1, _server.ListCalls);
    }

    [Fact]
    public void AListReadBeforeTheClientsConfirmedWrites_IsKeptWithTheRowsTheyLeftOnTop()
    {
        // S10, S15: the list predates the confirmed update of a and the confirmed delete of b; kept as listed, a
        // restart would show a at the version before the client's own write and bring b back.
        var view = new LocalView<ViewTodo>(ClientId);
        using var writer = new FeedCheckpointWriter<ViewTodo>(_store, view, new Lock(), _time, NullLogger.Instance);
        ListItem[] before = [Listed(Todo("a", "A", "1")), Listed(Todo("b", "B", "1"))];
        writer.ListReplaced(3, before, view.ReplaceServerRows(before));
        view.AddUpdate(1, "a", Title("Mine"));
        view.AddDelete(2, "b");

        view.BeginList();
        view.Confirm(1, "a", "2", Json(Todo("a", "Mine", "2")));
        view.Confirm(2, "b", null, default);
        ListItem[] listed = [.. before, Listed(Todo("c", "C", "1"))];
        writer.ListReplaced(7, listed, view.ReplaceServerRows(listed));

        FeedCheckpoint kept = _store.LoadFeedCheckpoint(Resource)!;
        Assert.Equal(7, kept.Sequence);
        Assert.Equal(["a:Mine:2", "c:C:1"], kept.Rows.OrderBy(static r => r.Key, StringComparer.Ordinal)
            .Select(static r => { ViewTodo t = SyncJson.Deserialize<ViewTodo>(r.Data.Span); return $"{r.Key}:{t.Title}:{r.Version}"; }));
        Assert.Equal(["a:Mine", "c:C"], view.Items.Select(static t => $"{t.Id}:{t.Title}"));
    }

    [Fact]
    public void RestoredCreateWithAMapping_IsTheFeedsAlready_ALateAnswerDoesNotBringBackARowTheFeedRemoved()
    {
        // S3, S16 across a restart: before it, the feed confirmed the create (the mapping is stored) and then removed
        // its row; the push answer was lost with the process. Restored, the create is acknowledged as it was: the
        // replayed answer confirms the mapping and shows nothing.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyMapping(new IdMapping(Resource, Optimistic, "s-1"));
        view.AddCreate(7, Todo(Optimistic, "Mine"));
        Assert.Empty(view.Items);

        view.Confirm(7, "s-1", "1", Json(Todo("s-1", "Mine", "1")));

        Assert.Empty(view.Items);
        Assert.False(view.TryGet(Optimistic, out _));
    }

    [Fact]
    public void RestoredCreateWithoutAMapping_ShowsUntilItsRowArrives()
    {
        // The counterpart: a create the server has not been seen holding is shown, and its answer shows the row.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(7, Todo(Optimistic, "Mine"));
        Assert.Equal([Optimistic], view.Items.Keys());

        view.Confirm(7, "s-1", "1", Json(Todo("s-1", "Mine", "1")));

        Assert.Equal(["s-1"], view.Items.Keys());
    }

    private void Put(string key, string title, string version) =>
        _server.Put(Resource, key, null, version, Json(Todo(key, title, version)));
}
