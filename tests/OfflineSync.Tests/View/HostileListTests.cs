using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>
/// Issue 11: a list that says "more" forever used to grow the client's memory by hundreds of megabytes in
/// seconds and never report an error. The list stops; the set shows <see cref="SyncSetStatus.Error"/> and keeps its rows (S19).
/// </summary>
public sealed class HostileListTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly LocalView<ViewTodo> _view = new(ClientId);
    private FeedFollower<ViewTodo>? _follower;

    public async ValueTask DisposeAsync()
    {
        if (_follower is not null)
        {
            await _follower.StopAsync();
        }
    }

    [Fact]
    public async Task PageThatNeverAdvances_StopsTheList_WithErrorStatus_AndTheRowsStay()
    {
        // S19: the same page again and again, each saying more rows follow.
        _view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("kept", "already shown", "1")));
        var server = new Pages((after, call) => [Todo("a", "A", "1"), Todo("b", "B", "1")]);
        Start(server);

        await Poll.Until(() => _view.Status == SyncSetStatus.Error, "the list fails");

        Assert.Equal(2, server.Calls);
        Assert.Equal([null, "b"], server.Afters);
        Assert.Equal(["kept"], _view.Items.Keys());
        await Task.Delay(100);
        Assert.Equal(2, server.Calls); // the next try waits out the longest backoff
    }

    [Fact]
    public async Task PagesThatAdvanceForeverPastMaxListBytes_StopTheList_WithErrorStatus()
    {
        // S19: new keys on every page, without end; the list stops at the byte limit, not at the server's word.
        var server = new Pages((after, call) => Enumerable.Range(0, 10).Select(i => Todo(string.Create(CultureInfo.InvariantCulture, $"k{call:D6}-{i}"), new string('x', 80), "1")).ToArray());
        Start(server, maxListBytes: 10_000);

        await Poll.Until(() => _view.Status == SyncSetStatus.Error, "the list fails");

        Assert.InRange(server.Calls, 5, 12);
        Assert.Empty(_view.Items);
    }

    [Fact]
    public async Task PagesThatEndWithinMaxListBytes_AreAllListed()
    {
        // S19: the close case: the same rows, a limit they fit in.
        var server = new Pages((after, call) => call < 3
            ? Enumerable.Range(0, 10).Select(i => Todo(string.Create(CultureInfo.InvariantCulture, $"k{call:D6}-{i}"), new string('x', 80), "1")).ToArray()
            : []);
        Start(server, maxListBytes: 10_000);

        await Poll.Until(() => _view.Status == SyncSetStatus.Live, "live");

        Assert.Equal(30, _view.Items.Count);
    }

    [Fact]
    public async Task SyncOptionsMaxListBytes_BoundsTheListOfEverySet()
    {
        // S19: the option reaches the sets of a client.
        await using var harness = new SyncHarness(o => o.MaxListBytes = 100);
        harness.Transport.Seed("tags", "t1", "v1", $$"""{"id":"t1","label":"{{new string('x', 200)}}"}""");

        harness.Client.SetOnline(false);
        await Poll.Until(() => harness.Client.Tags.Status == SyncSetStatus.Offline, "the first connection stopped");
        harness.Client.SetOnline(true);

        await Poll.Until(() => harness.Client.Tags.Status == SyncSetStatus.Error, "the tags list fails");
        Assert.Empty(harness.Client.Tags.Items);
    }

    private void Start(Pages server, long maxListBytes = SyncOptions.DefaultMaxListBytes)
    {
        _follower = Followers.Create(server, _view, _time, maxListBytes: maxListBytes);
        _follower.Start();
    }

    /// <summary>A server whose pages a function makes; every page but an empty one says more follow; the feed stays silent.</summary>
    private sealed class Pages(Func<string?, int, ViewTodo[]> page) : ISyncTransport
    {
        private readonly List<string?> _afters = [];

        public int Calls
        {
            get
            {
                lock (_afters)
                {
                    return _afters.Count;
                }
            }
        }

        public IReadOnlyList<string?> Afters
        {
            get
            {
                lock (_afters)
                {
                    return _afters.ToArray();
                }
            }
        }

        public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
        {
            int call;
            lock (_afters)
            {
                call = _afters.Count;
                _afters.Add(after);
            }

            ViewTodo[] rows = page(after, call);
            return Task.FromResult(new ListPage(rows.Select(static row => Listed(row)).ToArray(), 1, HasMore: rows.Length > 0));
        }

        public async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }
}
