using System.ComponentModel;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.View;

/// <summary>
/// Issue 11: a set's notifications are raised outside the engine's lock, like the engine's events, on the real
/// engine (not a view-only stand-in). A handler that waits for another thread's <c>Create</c> used to deadlock:
/// the engine raised it while holding the lock that <c>Create</c> needs.
/// </summary>
public sealed class SyncSetNotificationTests
{
    private static readonly TimeSpan OtherThreadWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CollectionChangedHandlerWaitingForAnotherThreadsCreate_DuringACreate_DoesNotDeadlock()
    {
        // Made without a SynchronizationContext: the handlers run on the thread that changed the set.
        await using SyncHarness harness = await Task.Run(() => new SyncHarness());
        TestSync sync = harness.Client;
        bool? otherFinished = null;
        sync.Tags.CollectionChanged += (_, _) => otherFinished ??= WaitForCreateOnAnotherThread(sync, "from the handler");

        await Task.Run(() => sync.Tags.Create(new Tag { Label = "first" })).WaitAsync(HangGuard);

        Assert.True(otherFinished);
        Assert.Equal(2, sync.Tags.Items.Count);
    }

    [Fact]
    public async Task ChangedAndPropertyChangedHandlersWaitingForAnotherThreadsCreate_DuringThePushAnswer_DoNotDeadlock()
    {
        // The drain applies the answer under the lock: the re-keyed item and the lower pending count are notified after it.
        await using SyncHarness harness = await Task.Run(() => new SyncHarness());
        TestSync sync = harness.Client;
        Tag tag = await Task.Run(() => sync.Tags.Create(new Tag { Label = "first" }));
        bool? changedHandlerFinished = null;
        bool? propertyHandlerFinished = null;
        sync.Tags.Changed += (_, e) =>
        {
            if (!e.Items.Any(t => t.Id == tag.Id))
            {
                changedHandlerFinished ??= WaitForCreateOnAnotherThread(sync, "from Changed");
            }
        };
        ((INotifyPropertyChanged)sync.Tags).PropertyChanged += (_, e) =>
        {
            if (e.PropertyName == nameof(SyncSet<Tag>.PendingCount))
            {
                propertyHandlerFinished ??= WaitForCreateOnAnotherThread(sync, "from PropertyChanged");
            }
        };

        await Task.Run(() => sync.SyncAsync()).WaitAsync(HangGuard);

        Assert.True(changedHandlerFinished);
        Assert.True(propertyHandlerFinished);
        Assert.True(sync.IdMap.TryResolve<Tag>(tag.Id, out _));
    }

    [Fact]
    public async Task ANotificationHandlerThatThrows_DoesNotStopLaterNotifications()
    {
        // Raised like the engine's events: a throwing handler is logged and the set keeps notifying. The feed goes
        // live first: while its thread publishes the status, a create's notification is left to that thread (one
        // publisher at a time), and on a loaded machine it may not have run when the create returns.
        await using SyncHarness harness = await Task.Run(() => new SyncHarness());
        TestSync sync = harness.Client;
        await Poll.Until(() => sync.Tags.Status == SyncSetStatus.Live, "the tags feed is live");
        int raised = 0;
        sync.Tags.CollectionChanged += (_, _) =>
        {
            if (Interlocked.Increment(ref raised) == 1)
            {
                throw new InvalidOperationException("handler bug");
            }
        };

        await Task.Run(() => sync.Tags.Create(new Tag { Label = "first" }));
        await Task.Run(() => sync.Tags.Create(new Tag { Label = "second" }));

        Assert.Equal(2, raised);
        Assert.Equal(2, ((IReadOnlyCollection<Tag>)sync.Tags).Count);
    }

    [Fact]
    public async Task AHandlerThatThrowsOnAFeedEvent_DoesNotStopTheFeed()
    {
        // S15: the feed's notifications go the same way; a handler bug used to end the connection with Error.
        await using SyncHarness harness = await Task.Run(() => new SyncHarness());
        TestSync sync = harness.Client;
        await Poll.Until(() => sync.Tags.Status == SyncSetStatus.Live, "the tags feed is live");
        sync.Tags.CollectionChanged += (_, _) => throw new InvalidOperationException("handler bug");

        harness.Transport.Publish(new ChangeEvent("tags", ChangeKind.Added, 1, "t1", null, "v1", """{"id":"t1","label":"one"}"""u8.ToArray()));
        harness.Transport.Publish(new ChangeEvent("tags", ChangeKind.Added, 2, "t2", null, "v1", """{"id":"t2","label":"two"}"""u8.ToArray()));

        await Poll.Until(() => sync.Tags.Items.Count == 2, "both rows show");
        Assert.Equal(SyncSetStatus.Live, sync.Tags.Status);
    }

    private static bool WaitForCreateOnAnotherThread(TestSync sync, string label)
    {
        Task other = Task.Run(() => sync.Tags.Create(new Tag { Label = label }));
        return other.Wait(OtherThreadWait);
    }
}
