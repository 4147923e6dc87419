using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>Following the change feed: list on a fresh start, follow, resume after a disconnect, invalidate (S15–S19, F4).</summary>
public sealed class FeedFollowerTests : IAsyncDisposable
{
    private const string Optimistic = "optimistic_01HZX0000000000000000000A1";
    private static readonly string Resource = ViewTodo.ResourceName;

    private readonly ScriptedFeed _server = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LocalView<ViewTodo> _view = new(ClientId);
    private readonly FeedFollower<ViewTodo> _follower;

    public FeedFollowerTests() => _follower = Followers.Create(_server, _view, _time);

    public async ValueTask DisposeAsync() => await _follower.StopAsync();

    [Fact]
    public async Task Start_ListsThenFollowsFromTheListsSequence_AndGoesLive()
    {
        // S15: a fresh start lists, then follows from the sequence the list is consistent with.
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
    public async Task DroppedStream_ResumesAfterTheLastAppliedSequence_AndDoesNotList()
    {
        // S15: a dropped stream costs the changes missed: the feed resumes after the last event applied (Last-Event-ID).
        Put("a", "A", "1");
        Put("b", "B", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        Put("c", "C", "1");
        await Poll.Until(() => _follower.LastSequence == 3, "the third change is applied");
        int lists = _server.ListCalls;

        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");
        Put("d", "D", "1");
        _server.Remove(Resource, "b");
        _server.Put(Resource, "a", null, "2", Json(Todo("a", "A changed", "2")), ChangeKind.Changed);
        _server.Reconnect();
        await AdvanceUntil(() => _follower.LastSequence == 6 && _view.Status == SyncSetStatus.Live, "the missed changes are applied");

        Assert.Equal(lists, _server.ListCalls);
        Assert.Equal([2L, 3L], _server.FollowCalls.Distinct());
        Assert.Equal(3L, _server.FollowCalls[^1]);
        Assert.Equal(["a", "c", "d"], _view.Items.Keys());
        Assert.Equal("A changed", _view.Items[0].Title);
    }

    [Fact]
    public async Task Disconnect_ReconnectsWithBackoff_ThenOffline_ThenResumes()
    {
        // F4, S15: status Reconnecting, then Offline after repeated failures; the overlay stays; the feed resumes.
        Put("a", "A", "1");
        Put("b", "B", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _view.AddCreate(100, Todo(Optimistic, "Mine"));

        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");
        _server.Remove(Resource, "b");
        Put("c", "C", "1");

        for (int attempt = 2; attempt <= new SyncRetryOptions().OfflineAfterFailures; attempt++)
        {
            int follows = _server.FollowCalls.Count;
            await AdvanceUntil(() => _server.FollowCalls.Count > follows, $"retry {attempt}");
        }

        await Poll.Until(() => _view.Status == SyncSetStatus.Offline, "offline after repeated failures");
        Assert.Equal(["a", "b", Optimistic], _view.Items.Keys());

        _server.Reconnect();
        await AdvanceUntil(() => _view.Items.Count == 3 && _view.Status == SyncSetStatus.Live, "live again");

        Assert.Equal(["a", "c", Optimistic], _view.Items.Keys());
        Assert.Equal(1, _server.ListCalls);
    }

    [Fact]
    public async Task Backoff_FollowsTheDrainsRetryOptions()
    {
        // S9, F4: one backoff rule for the drain and the feed: BaseDelay × BackoffFactor^(n-1) up to MaxDelay, one clock.
        var clock = new TimerClock(DateTimeOffset.UnixEpoch);
        var down = new RefusingServer(clock, _ => new IOException("unreachable"));
        FeedFollower<ViewTodo> follower = Followers.Create(down, new LocalView<ViewTodo>(ClientId), clock, retry: r =>
        {
            r.BaseDelay = TimeSpan.FromSeconds(10);
            r.BackoffFactor = 3;
            r.MaxDelay = TimeSpan.FromSeconds(50);
            r.OfflineAfterFailures = 2;
        });

        follower.Start();
        await AdvanceTimersUntil(clock, () => down.Attempts.Count == 5);
        await follower.StopAsync();

        Assert.Equal([10.0, 30.0, 50.0, 50.0], Gaps(down.Attempts));
    }

    [Fact]
    public async Task RetryAfter_OfARefusedFeed_IsWaited_UpToMaxDelay()
    {
        // S9: a server at its feed limit answers 503 with Retry-After; the follower waits that long, capped at MaxDelay.
        var clock = new TimerClock(DateTimeOffset.UnixEpoch);
        var busy = new RefusingServer(clock, attempt => new RetryAfterException("503", System.Net.HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(attempt == 1 ? 7 : 3600)));
        FeedFollower<ViewTodo> follower = Followers.Create(busy, new LocalView<ViewTodo>(ClientId), clock);

        follower.Start();
        await AdvanceTimersUntil(clock, () => busy.Attempts.Count == 3);
        await follower.StopAsync();

        Assert.Equal([7.0, 60.0], Gaps(busy.Attempts));
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
    public async Task ResumePastTheServersRetention_ListsAgain_AndFollowsFromTheNewPosition()
    {
        // S19: a client behind the server's retention gets invalidate on resume, lists, and follows on.
        Put("a", "A", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");

        Put("b", "B", "1");
        _server.Remove(Resource, "a");
        _server.ForgetHistory();
        int lists = _server.ListCalls;
        _server.Reconnect();

        await AdvanceUntil(() => _view.Status == SyncSetStatus.Live && _view.Items.Count == 1, "resumed");
        Assert.Equal(["b"], _view.Items.Keys());
        Assert.Equal(lists + 1, _server.ListCalls);
        Put("c", "C", "1");
        await Poll.Until(() => _view.Items.Count == 2, "following after the gap");
    }

    [Fact]
    public async Task PendingCreate_ConfirmedOnlyByTheResumedFeed_ShowsOnce()
    {
        // S3, S18, F4: the push answer was lost with the connection; the resumed feed's origin key re-keys the item.
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        var learned = new List<IdMapping>();
        _view.MappingLearned += learned.Add;
        _view.AddCreate(100, Todo(Optimistic, "Mine"));

        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");
        _server.Put(Resource, "s-1", Optimistic, "1", Json(Todo("s-1", "Mine", "1")), originClientId: ClientId);
        _server.Reconnect();
        await AdvanceUntil(() => _view.Items.Keys().SequenceEqual(["s-1"]), "the resumed feed confirms the create");

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
    public async Task PendingDelete_SurvivesAResumeThatChangesTheRow()
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
        await AdvanceUntil(() => _follower.LastSequence == 2, "the change is applied");

        Assert.Empty(_view.Items);
    }

    [Fact]
    public async Task StopThenStart_GoesOffline_ThenResumesWithoutListing()
    {
        // S8, S15: offline stops following; online resumes from the position, not from a list.
        Put("a", "A", "1");
        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");

        await _follower.StopAsync();
        Assert.Equal(SyncSetStatus.Offline, _view.Status);
        Assert.False(_follower.IsRunning);
        Put("b", "B", "1");

        _follower.Start();
        await Poll.Until(() => _view.Items.Count == 2 && _view.Status == SyncSetStatus.Live, "resumed");
        Assert.Equal(1, _server.ListCalls);
        Assert.Equal([1L, 1L], _server.FollowCalls);
    }

    [Fact]
    public async Task ViewAfterAResume_EqualsTheViewAfterAFullList()
    {
        // S15–S18: resuming applies the missed changes exactly as listing afresh would show them, overlay included.
        for (int i = 0; i < 20; i++)
        {
            Put($"k{i:D2}", $"row {i}", "1");
        }

        _follower.Start();
        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");
        _view.AddUpdate(100, "k03", Title("mine"));
        _view.AddDelete(101, "k04");
        _server.Disconnect();
        await Poll.Until(() => _view.Status == SyncSetStatus.Reconnecting, "reconnecting");

        for (int i = 0; i < 20; i += 3)
        {
            _server.Put(Resource, $"k{i:D2}", null, "2", Json(Todo($"k{i:D2}", $"row {i} changed", "2")), ChangeKind.Changed);
        }

        for (int i = 1; i < 20; i += 5)
        {
            _server.Remove(Resource, $"k{i:D2}");
        }

        Put("k20", "added while away", "1");
        _server.Reconnect();
        await AdvanceUntil(() => _follower.LastSequence == _server.Sequence, "every missed change is applied");
        Assert.Equal(1, _server.ListCalls); // the resume listed nothing

        var fresh = new LocalView<ViewTodo>(ClientId);
        fresh.AddUpdate(100, "k03", Title("mine"));
        fresh.AddDelete(101, "k04");
        FeedFollower<ViewTodo> lister = Followers.Create(_server, fresh, _time);
        lister.Start();
        await Poll.Until(() => fresh.Status == SyncSetStatus.Live, "the fresh view listed");
        await lister.StopAsync();

        Assert.Equal(Snapshot(fresh), Snapshot(_view));
    }

    [Fact]
    public async Task UnreadableRows_SetStatusError()
    {
        _server.Put(Resource, "a", null, "1", Json("[1,2]"));

        _follower.Start();

        await Poll.Until(() => _view.Status == SyncSetStatus.Error, "error");
    }

    private static string Snapshot(LocalView<ViewTodo> view) =>
        string.Join("\n", view.Items.Select(static t => $"{t.Id}|{t.Title}|{t.Version}|{t.Completed}|{t.CategoryId}"));

    private static double[] Gaps(IReadOnlyList<DateTimeOffset> times) =>
        times.Zip(times.Skip(1), static (a, b) => (b - a).TotalSeconds).ToArray();

    /// <summary>Moves the clock from timer to timer until the condition holds, so every delay is taken exactly as scheduled.</summary>
    private static async Task AdvanceTimersUntil(TimerClock clock, Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (!clock.AdvanceToNextTimer())
            {
                await Task.Delay(1, timeout.Token);
            }
        }
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

    /// <summary>A server that refuses every list and feed with the error a function makes, recording when each attempt came.</summary>
    private sealed class RefusingServer(TimeProvider clock, Func<int, Exception> refusal) : ISyncTransport
    {
        private readonly List<DateTimeOffset> _attempts = [];

        public IReadOnlyList<DateTimeOffset> Attempts
        {
            get
            {
                lock (_attempts)
                {
                    return _attempts.ToArray();
                }
            }
        }

        public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
        {
            int attempt;
            lock (_attempts)
            {
                _attempts.Add(clock.GetUtcNow());
                attempt = _attempts.Count;
            }

            return Task.FromException<ListPage>(refusal(attempt));
        }

        public IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("A fresh start lists first.");
    }
}
