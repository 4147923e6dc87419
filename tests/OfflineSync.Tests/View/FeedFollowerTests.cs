using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>Following the change feed: list, follow, reconnect with backoff, invalidate (S15–S19, F4).</summary>
public sealed class FeedFollowerTests : IAsyncDisposable
{
    private const string Optimistic = "optimistic_01HZX0000000000000000000A1";
    private static readonly string Resource = ViewTodo.ResourceName;

    private readonly ScriptedFeed _server = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LocalView<ViewTodo> _view = new(ClientId);
    private readonly FeedFollower<ViewTodo> _follower;

    public FeedFollowerTests() =>
        _follower = new FeedFollower<ViewTodo>(_server, _view, _time, NullLogger.Instance);

    public async ValueTask DisposeAsync() => await _follower.StopAsync();

    [Fact]
    public async Task Start_ListsThenFollowsFromTheListsSequence_AndGoesLive()
    {
        // S15: initial list, then the feed from the sequence the list is consistent with.
        Put("a", "A", "1");
        Put("b", "B", "1");
        Assert.Equal(SyncSetStatus.Loading, _view.Status);

        _follower.Start();
        await Poll.Until(() => _server.FollowCalls.Count == 1, "the feed is followed");

        Assert.Equal(SyncSetStatus.Live, _view.Status);
        Assert.Equal([2L], _server.FollowCalls);
        Assert.Equal(["a", "b"], _view.Items.Keys());

        Put("c", "C", "1");
        await Poll.Until(() => _view.Items.Count == 3, "the added row shows");
        Assert.Equal(3, _follower.LastSequence);
    }

    [Fact]
    public async Task ListsEveryPage()
    {
        _server.PageSize = 2;
        foreach (string key in new[] { "a", "b", "c", "d", "e" })
        {
            Put(key, key.ToUpperInvariant(), "1");
        }

        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");

        Assert.Equal(["a", "b", "c", "d", "e"], _view.Items.Keys());
        Assert.Equal(3, _server.ListCalls);
    }

    [Fact]
    public async Task Disconnect_ReconnectsWithBackoff_ThenOffline_ThenResumesAndDropsRowsDeletedMeanwhile()
    {
        // F4, S15, S19: status Reconnecting, then Offline after repeated failures; a fresh list on resume.
        Put("a", "A", "1");
        Put("b", "B", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _view.AddCreate(100, Todo(Optimistic, "Mine"));

        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");
        _server.RemoveSilently(Resource, "b"); // deleted while away; its event is not replayed
        Put("c", "C", "1");

        for (int attempt = 2; attempt <= FeedFollower<ViewTodo>.OfflineAfterFailures; attempt++)
        {
            int lists = _server.ListCalls;
            await AdvanceUntil(() => _server.ListCalls > lists, $"retry {attempt}");
        }

        await Poll.Until(() => _view.Status == SyncSetStatus.Offline, "offline after repeated failures");
        Assert.Equal(["a", "b", Optimistic], _view.Items.Keys());

        _server.Reconnect();
        await AdvanceUntil(() => _view.Status == SyncSetStatus.Live, "live again");

        Assert.Equal(["a", "c", Optimistic], _view.Items.Keys());
    }

    [Fact]
    public async Task Backoff_DoublesFromOneSecondUpToOneMinute()
    {
        // F4: exponential backoff; jitter only shortens a delay.
        Assert.InRange(FeedFollower<ViewTodo>.Backoff(1), TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1));
        Assert.InRange(FeedFollower<ViewTodo>.Backoff(3), TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4));
        Assert.InRange(FeedFollower<ViewTodo>.Backoff(40), TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(60));

        _server.Disconnect();
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "the first attempt failed");
        await Task.Delay(100);
        Assert.Equal(1, _server.ListCalls); // no retry until the (fake) backoff time passes

        await AdvanceUntil(() => _server.ListCalls == 2, "the retry after the backoff");
    }

    [Fact]
    public async Task Invalidate_RefetchesAndKeepsOptimisticItemsAndPendingEdits()
    {
        // S19: the list is fetched again and the overlay re-applied.
        Put("a", "A", "1");
        Put("b", "B", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _view.AddCreate(100, Todo(Optimistic, "Mine"));
        _view.AddUpdate(101, "a", Title("A edited"));

        _server.RemoveSilently(Resource, "b");
        int lists = _server.ListCalls;
        _server.Emit(new ChangeEvent(Resource, ChangeKind.Invalidate, 0, null, null, null, default));

        await Poll.Until(() => _server.ListCalls > lists && _view.Items.Count == 2, "refetched");
        Assert.Equal(["a", Optimistic], _view.Items.Keys());
        Assert.Equal("A edited", _view.Items[0].Title);
        Assert.Equal(SyncSetStatus.Live, _view.Status);
    }

    [Fact]
    public async Task RetentionGap_OnResume_RefetchesAndFollowsFromTheNewPosition()
    {
        // S19: a client behind the server's retention gets invalidate.
        Put("a", "A", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");

        Put("b", "B", "1");
        _server.Remove(Resource, "a");
        _server.ForgetHistory();
        _server.Reconnect();

        await AdvanceUntil(() => _view.Status == SyncSetStatus.Live && _view.Items.Count == 1, "resumed");
        Assert.Equal(["b"], _view.Items.Keys());
        Put("c", "C", "1");
        await Poll.Until(() => _view.Items.Count == 2, "following after the gap");
    }

    [Fact]
    public async Task PendingCreate_ConfirmedOnlyByTheListAfterAReconnect_ShowsOnce()
    {
        // S3, S18, F4: the push answer was lost with the connection; the list's origin key re-keys the item.
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        var learned = new List<IdMapping>();
        _view.MappingLearned += learned.Add;
        _view.AddCreate(100, Todo(Optimistic, "Mine"));

        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");
        _server.Put(Resource, "s-1", Optimistic, "1", Json(Todo("s-1", "Mine", "1")), originClientId: ClientId);
        _server.Reconnect();
        await AdvanceUntil(() => _view.Status == SyncSetStatus.Live, "live again");

        Assert.Equal(["s-1"], _view.Items.Keys());
        Assert.Equal([new IdMapping(Resource, Optimistic, "s-1")], learned);
        Assert.True(_view.TryGet(Optimistic, out _));
    }

    [Fact]
    public async Task CreatesConfirmedAfterAListWithoutTheirRows_RefetchAtOnce_ThenAtMostOncePerInterval()
    {
        // S16, S19: the list cannot prove a confirmed row still exists; a drain confirms creates back to back.
        const string second = "optimistic_01HZX0000000000000000000A2";
        _view.AddCreate(100, Todo(Optimistic, "First"));
        _view.AddCreate(101, Todo(second, "Second"));
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        Assert.Equal(1, _server.ListCalls);

        _view.Confirm(100, "s-1", "1", Json(Todo("s-1", "First", "1")));
        await Poll.Until(() => _server.ListCalls == 2 && _view.Status == SyncSetStatus.Live, "the first confirm relists at once");

        _view.Confirm(101, "s-2", "1", Json(Todo("s-2", "Second", "1")));
        await Task.Delay(100);
        Assert.Equal(2, _server.ListCalls);

        _time.Advance(FeedFollower<ViewTodo>.RefetchInterval);
        await Poll.Until(() => _server.ListCalls == 3, "the second relists once the interval passed");
    }

    [Fact]
    public async Task PendingDelete_SurvivesAReconnectWhoseListStillHoldsTheRow()
    {
        // S16, F4.
        Put("a", "A", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _view.AddDelete(100, "a");

        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");
        _server.Put(Resource, "a", null, "2", Json(Todo("a", "A changed elsewhere", "2")), ChangeKind.Changed);
        _server.Reconnect();
        await AdvanceUntil(() => _view.Status == SyncSetStatus.Live, "live again");

        Assert.Empty(_view.Items);
    }

    [Fact]
    public async Task StopAsync_GoesOffline_AndStartResumes()
    {
        // S8: offline stops following, online resumes.
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");

        await _follower.StopAsync();
        Assert.Equal(SyncSetStatus.Offline, _view.Status);
        Assert.False(_follower.IsRunning);
        Put("a", "A", "1");

        _follower.Start();
        await Poll.Until(() => _view.Items.Count == 1 && _view.Status == SyncSetStatus.Live, "resumed");
    }

    [Fact]
    public async Task UnreadableRows_SetStatusError()
    {
        _server.Put(Resource, "a", null, "1", Json("[1,2]"));

        _follower.Start();

        await Poll.Until(() => _view.Status == SyncSetStatus.Error, "error");
    }

    /// <summary>Advances fake time in steps until the condition holds, so a backoff timer registered late still fires.</summary>
    private Task AdvanceUntil(Func<bool> condition, string because) =>
        Poll.Until(() =>
        {
            if (condition())
            {
                return true;
            }

            _time.Advance(TimeSpan.FromMinutes(1));
            return false;
        }, because);

    private void Put(string key, string title, string version) =>
        _server.Put(Resource, key, null, version, Json(Todo(key, title, version)));
}
