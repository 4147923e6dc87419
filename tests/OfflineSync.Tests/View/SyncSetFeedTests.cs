using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.View;

/// <summary>The whole client (engine, queue, set, follower) against a scripted transport with a controllable feed (S3, S15, S18).</summary>
public sealed class SyncSetFeedTests : IAsyncDisposable
{
    private readonly SyncHarness _harness = new();
    private readonly List<IdRemappedEventArgs> _remapped = new();

    public SyncSetFeedTests() => _harness.Client.IdRemapped += _remapped.Add;

    private FeedFollower<Todo> Follower => _harness.Engine.FollowerOf<Todo>()!;

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task CreateOnline_PushAnswerThenAddedWithTheOptimisticKey_OneItemWithTheServerKey()
    {
        // S3, S18: the push answer re-keys the item; the feed's added event for the same row then changes nothing.
        string optimistic = _harness.Client.Todos.Create(new Todo { Title = "Ship" }).Id;
        await _harness.Client.SyncAsync();
        string serverKey = Assert.Single(_harness.Client.Todos.Items).Id;
        Assert.NotEqual(optimistic, serverKey);

        _harness.Transport.Publish(Event(ChangeKind.Added, 1, serverKey, optimistic, "Ship", _harness.ClientId));
        await Poll.Until(() => Follower.LastSequence >= 1, "the added event is applied");

        Assert.Equal([serverKey], _harness.Client.Todos.Items.Select(static t => t.Id));
        Assert.Equal([new IdRemappedEventArgs("todos", optimistic, serverKey)], _remapped);
        Assert.True(_harness.Client.Todos.TryGet(optimistic, out Todo? found));
        Assert.Equal(serverKey, found.Id);
    }

    [Fact]
    public async Task CreateOffline_ExistingForTheServerRowBeforeThePushAnswer_StillOneItem()
    {
        // S3, S18, F4: after the reconnect the feed shows the server row while the push answer is still on its way.
        _harness.Client.SetOnline(false);

        // The old connection must be gone before the event is published: it could take the event and apply it before
        // the new connection's list, which the scripted server (holding the push) would read without the row.
        await Poll.Until(() => Follower.Status == SyncSetStatus.Offline, "the feed stopped");
        string optimistic = _harness.Client.Todos.Create(new Todo { Title = "Ship" }).Id;
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Transport.OnPush = _ => answer.Task;
        _harness.Transport.AssignKey = static m => m.Kind == MutationKind.Create ? "srv-1" : null;

        _harness.Client.SetOnline(true);
        await Poll.Until(() => Follower.Status == SyncSetStatus.Live, "the feed is followed again");
        Task sync = _harness.Client.SyncAsync();
        await _harness.Transport.WaitForBatchesAsync(1);
        _harness.Transport.Publish(Event(ChangeKind.Existing, 1, "srv-1", optimistic, "Ship", _harness.ClientId));
        await Poll.Until(() => Follower.LastSequence >= 1, "the existing event is applied");

        Assert.Equal(["srv-1"], _harness.Client.Todos.Items.Select(static t => t.Id));

        answer.SetResult();
        await sync;

        Assert.Equal(["srv-1"], _harness.Client.Todos.Items.Select(static t => t.Id));
        Assert.Equal([new IdRemappedEventArgs("todos", optimistic, "srv-1")], _remapped);
        Assert.Equal(0, _harness.Client.PendingCount);
        Assert.True(_harness.Client.Todos.TryGet(optimistic, out _));
    }

    [Fact]
    public async Task AppliedAnswerWithAnUnreadableRow_DrainGoesOn_ItemKeptUnderTheServerKey_AndTheSetRefetches()
    {
        // Issue 6: a malformed answer is never an exception in the drain. The server applied the create, so it is
        // confirmed; the view keeps the local data under the server key and asks the list for the server's truth.
        string optimistic = _harness.Client.Todos.Create(new Todo { Title = "Ship" }).Id;
        string other = _harness.Client.Todos.Create(new Todo { Title = "Next" }).Id;
        await Poll.Until(() => Follower.Status == SyncSetStatus.Live, "the feed is followed");
        _harness.Transport.Then(m =>
        {
            if (m.Key != optimistic)
            {
                return null;
            }

            _harness.Transport.Seed("todos", "stored-1", "1", """{"id":"stored-1","title":"Ship (as stored)","version":"1"}""");
            return new PushResult.Applied("stored-1", "1", "{\"title\":5}"u8.ToArray());
        });

        await _harness.Client.SyncAsync();

        Assert.Equal(0, _harness.Client.PendingCount);
        Assert.True(_harness.Client.Todos.TryGet(optimistic, out Todo? kept));
        Assert.Equal("stored-1", kept.Id);
        Assert.True(_harness.Client.Todos.TryGet(other, out Todo? next));
        Assert.NotEqual(other, next.Id);
        await Poll.Until(() => _harness.Client.Todos.TryGet("stored-1", out Todo? row) && row.Title == "Ship (as stored)", "the set lists again");
        Assert.Equal(2, _harness.Client.Todos.Items.Count);
    }

    private static ChangeEvent Event(ChangeKind kind, long sequence, string key, string origin, string title, string originClientId) =>
        new("todos", kind, sequence, key, origin, "1", JsonSerializer.SerializeToUtf8Bytes(new Todo { Id = key, Title = title, Version = "1" }, Todo.JsonTypeInfo))
        {
            OriginClientId = originClientId,
        };
}
