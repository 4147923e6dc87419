using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class DrainTests
{
    [Fact]
    public async Task MutationsMadeDuringDrain_CreatesAndUpdatesOfInFlightAndOtherItems_EachReachServerOnceInOrder()
    {
        // S6, S8: a mutation made while a push is in flight is sent once, by this drain or the next, after the in-flight one.
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        Todo a = sync.Todos.Create(new Todo { Title = "a" });
        Todo b = sync.Todos.Create(new Todo { Title = "b" });
        await sync.SyncAsync();

        var release = new TaskCompletionSource();
        harness.Transport.OnPush = _ => release.Task;
        Todo c = sync.Todos.Create(new Todo { Title = "c" });
        Task draining = sync.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(2);

        sync.Todos.Create(new Todo { Title = "d" });
        sync.Todos.Update(c.Id, new TodoPatch { Title = "c1" });
        sync.Todos.Update(a.Id, new TodoPatch { Title = "a1" });
        sync.Todos.Update(c.Id, new TodoPatch { Completed = true });
        sync.Todos.Update(b.Id, new TodoPatch { Title = "b1" });
        Assert.Equal(5, sync.PendingCount);
        harness.Transport.OnPush = null;
        release.SetResult();
        await draining;
        await sync.SyncAsync();

        string Name(OutgoingMutation m) => m.Kind == MutationKind.Create
            ? JsonDocument.Parse(m.Payload).RootElement.GetProperty("title").GetString()!
            : m.Key;
        Assert.True(sync.IdMap.TryResolve<Todo>(a.Id, out string? aKey));
        Assert.True(sync.IdMap.TryResolve<Todo>(b.Id, out string? bKey));
        Assert.True(sync.IdMap.TryResolve<Todo>(c.Id, out string? cKey));
        Assert.Equal(["create c", "create d", $"update {cKey}", $"update {aKey}", $"update {bKey}"],
            harness.Transport.Sent.Skip(2).Select(m => $"{m.Kind.ToString().ToLowerInvariant()} {Name(m)}"));
        Assert.Equal(harness.Transport.Sent.Count, harness.Transport.Sent.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal(harness.Transport.Sent, harness.Transport.Applied);
        Assert.Equal(("c1", true), (harness.Transport.RowOf("todos", cKey!)!["title"]!.GetValue<string>(), harness.Transport.RowOf("todos", cKey!)!["completed"]!.GetValue<bool>()));
        Assert.Equal(["a1", "b1", "c1", "d"], sync.Todos.Items.Select(t => t.Title).Order());
        Assert.Equal(0, sync.PendingCount);
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task AutoSync_MutationMadeOnline_StartsDrain()
    {
        // S8
        await using var harness = new SyncHarness(autoSync: true);

        Tag tag = harness.Client.Tags.Create(new Tag { Label = "a" });
        await harness.Transport.WaitForBatchesAsync(1);
        await harness.Client.SyncAsync();

        Assert.Equal(tag.Id, Assert.Single(harness.Transport.Sent).Key);
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Fact]
    public async Task SyncAsync_Offline_ReturnsAtOnceAndSendsNothing()
    {
        // S8
        await using var harness = new SyncHarness();
        harness.Client.SetOnline(false);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        Task sync = harness.Client.SyncAsync();

        Assert.True(sync.IsCompletedSuccessfully);
        Assert.Equal(0, harness.Transport.PushCount);
        Assert.Equal(SyncStatus.Offline, harness.Client.Status);
        Assert.Equal(1, harness.Client.PendingCount);
    }

    [Fact]
    public async Task GoingOffline_DuringADrain_SendsNothingAfterThePushInFlight()
    {
        // S8: a drain that was running when the client went offline stops at its next batch; the rest waits for online.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Transport.OnPush = _ => release.Task;
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });

        Task sync = harness.Client.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(1);
        harness.Client.SetOnline(false);
        release.SetResult();
        await sync;

        Assert.Equal(1, harness.Transport.PushCount);
        Assert.Equal(1, harness.Client.PendingCount);
        Assert.Equal(SyncStatus.Offline, harness.Client.Status);

        harness.Client.SetOnline(true);
        await harness.Client.SyncAsync();
        Assert.Equal(2, harness.Transport.PushCount);
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Fact]
    public async Task ComingOnline_DrainsWhatWasQueuedOffline()
    {
        // S8: online starts a drain by itself.
        await using var harness = new SyncHarness(autoSync: true);
        harness.Client.SetOnline(false);
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });
        Assert.Equal(0, harness.Transport.PushCount);

        harness.Client.SetOnline(true);
        await harness.Transport.WaitForBatchesAsync(1);
        await harness.Client.SyncAsync();

        Assert.Equal(2, harness.Transport.Applied.Count);
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
    }

    [Fact]
    public async Task NetworkMonitor_DrivesOnlineState()
    {
        // S8: the monitor's state decides; its changes start and stop syncing.
        var monitor = new FakeNetworkMonitor(online: false);
        await using var harness = new SyncHarness(o => o.NetworkMonitor = monitor, autoSync: true);
        Assert.False(harness.Client.IsOnline);
        Assert.Equal(SyncStatus.Offline, harness.Client.Status);
        harness.Client.Tags.Create(new Tag { Label = "a" });
        await harness.Client.SyncAsync();
        Assert.Equal(0, harness.Transport.PushCount);

        monitor.Set(true);
        await harness.Transport.WaitForBatchesAsync(1);
        await harness.Client.SyncAsync();
        Assert.True(harness.Client.IsOnline);
        Assert.Equal(0, harness.Client.PendingCount);

        monitor.Set(false);
        Assert.False(harness.Client.IsOnline);
        Assert.Equal(SyncStatus.Offline, harness.Client.Status);
    }

    [Fact]
    public async Task ConcurrentSyncCalls_RunOneDrainAtATime_EachMutationSentOnce()
    {
        // S8: one drain at a time, however many callers ask for one.
        await using var harness = new SyncHarness(o => o.BatchSize = 1, autoSync: true);
        int inside = 0;
        int most = 0;
        harness.Transport.OnPush = async _ =>
        {
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        };

        for (int i = 0; i < 20; i++)
        {
            harness.Client.Tags.Create(new Tag { Label = $"t{i}" });
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => harness.Client.SyncAsync())));
        await harness.Client.SyncAsync();

        Assert.Equal(1, most);
        Assert.Equal(20, harness.Transport.PushCount);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"t{i}"),
            harness.Transport.Applied.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task RetryNow_CancelsBackoffTimer_HeadIsSentWithoutWaiting()
    {
        // S8
        await using var harness = new SyncHarness();
        harness.Transport.ThenTransient();
        harness.Client.Tags.Create(new Tag { Label = "a" });
        await harness.Client.SyncAsync();
        DateTimeOffset failedAt = harness.Time.GetUtcNow();
        Assert.Equal(SyncStatus.WaitingToRetry, harness.Client.Status);

        harness.Client.RetryNow();
        await harness.Transport.WaitForBatchesAsync(2);
        await harness.Client.SyncAsync();

        Assert.Equal(failedAt, harness.Time.GetUtcNow());
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedOnItsTimer_EvenWhenOfflineSinceThen()
    {
        // S8: transient failures are retried with backoff whatever the online state says.
        await using var harness = new SyncHarness();
        var synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.MutationSynced += _ => synced.TrySetResult();
        harness.Transport.ThenTransient();
        harness.Client.Tags.Create(new Tag { Label = "a" });
        await harness.Client.SyncAsync();

        harness.Client.SetOnline(false);
        await harness.AdvanceUntilAsync(2);
        await synced.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Single(harness.Transport.Applied);
    }

    [Fact]
    public async Task MutationsOfAPushThatThrewAfterTheServerApplied_AreNeverMergedInto()
    {
        // S6, S9: a push that throws may have been applied; its mutations keep their bodies under their keys.
        var server = new ScriptedTransport();
        var transport = new AnswerLostTransport(server) { Failure = new InvalidOperationException("unreadable answer") };
        await using var harness = new SyncHarness(o => o.Transport = transport, transport: server);
        TestSync sync = harness.Client;
        Todo head = sync.Todos.Create(new Todo { Title = "head" });
        Todo second = sync.Todos.Create(new Todo { Title = "second" });

        // The handler runs between the failed push and the next one: the second create is queued, not in flight.
        sync.MutationFailed += _ => sync.Todos.Update(second.Id, new TodoPatch { Title = "second, edited" });
        await sync.SyncAsync();

        OutgoingMutation[] sent = server.Sent.ToArray();
        Assert.Equal([(head.Id, MutationKind.Create), (second.Id, MutationKind.Create), (second.Id, MutationKind.Create), (null, MutationKind.Update)],
            sent.Select(m => (m.OptimisticKey, m.Kind)));
        Assert.Equal((sent[1].IdempotencyKey, Convert.ToBase64String(sent[1].Payload.Span)), (sent[2].IdempotencyKey, Convert.ToBase64String(sent[2].Payload.Span)));
        Assert.True(sync.Todos.TryGet(second.Id, out Todo? shown));
        Assert.Equal("second, edited", shown.Title);
        Assert.Equal(MutationStatus.PermanentlyFailed, Assert.Single(sync.GetPending()).Status);
    }

    [Fact]
    public async Task GoingOffline_StopsFollowingTheFeed_ComingOnlineResumesIt()
    {
        // S8, S15: offline stops the feeds; online resumes each from the last sequence it applied, without a list.
        var feed = new ScriptedFeed();
        feed.Put("tags", "t1", null, "v1", """{"id":"t1","label":"first"}"""u8.ToArray());
        await using var sync = new TestSync(new SyncOptions { Transport = feed, AutoSync = false });
        await Eventually(() => sync.Tags.TryGet("t1", out _) && sync.Tags.Status == SyncSetStatus.Live);

        sync.SetOnline(false);
        await Eventually(() => sync.Tags.Status == SyncSetStatus.Offline);
        feed.Put("tags", "t2", null, "v1", """{"id":"t2","label":"while offline"}"""u8.ToArray());

        // The follower's loop has ended (Offline is set after it), so nothing can apply the event.
        Assert.False(sync.Tags.TryGet("t2", out _));
        // Counted for the tags feed only: the client's other sets may still be in their first list when it goes offline.
        int lists = feed.ListCallsOf("tags");
        sync.SetOnline(true);
        await Eventually(() => sync.Tags.TryGet("t2", out _));

        Assert.Equal(lists, feed.ListCallsOf("tags"));
        Assert.Equal(1L, feed.FollowCallsOf("tags")[^1]);
        Assert.Equal(["t1", "t2"], sync.Tags.Items.Select(t => t.Id).Order(StringComparer.Ordinal));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 2000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
