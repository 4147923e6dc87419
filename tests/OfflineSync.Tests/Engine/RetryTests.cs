using System.Net.Sockets;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class RetryTests
{
    [Fact]
    public async Task Transient_KeepsMutationQueuedAsFailed()
    {
        // S9, F1
        await using var harness = new SyncHarness();
        harness.Transport.ThenTransient(error: "503 busy");
        Tag tag = harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();

        PendingMutation pending = Assert.Single(harness.Client.GetPending());
        Assert.Equal((MutationStatus.Failed, 1, "503 busy"), (pending.Status, pending.Attempts, pending.LastError));
        Assert.Equal(1, harness.Store.Load().Pending.Single().Attempts);
        Assert.Equal(SyncStatus.WaitingToRetry, harness.Client.Status);

        await harness.RetryUntilAsync(2);
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(tag.Id, out _));
    }

    [Fact]
    public async Task TransientAtHead_RetriesHeadFirst_NothingOvertakes()
    {
        // S5, S9: with one mutation per batch, every batch until the head succeeds carries the head.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        harness.Transport.ThenTransient(times: 3);
        Tag a = harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });
        harness.Client.Tags.Create(new Tag { Label = "c" });

        await harness.Client.SyncAsync();
        await harness.RetryUntilAsync(6);

        Assert.Equal([a.Id, a.Id, a.Id, a.Id], harness.Transport.Batches.Take(4).Select(b => b.Single().Key));
        Assert.Equal(["a", "b", "c"], harness.Transport.Applied.Select(m => System.Text.Json.JsonDocument.Parse(m.Payload).RootElement.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task TransientInsideBatch_RestOfBatchNotApplied_ResentInOrder()
    {
        // S5, S9: a batch stops at the first mutation that is not applied.
        await using var harness = new SyncHarness();
        harness.Transport.Then(m => m.IdempotencyKey.EndsWith(":2", StringComparison.Ordinal) ? new PushResult.Transient("reset", null) : null);
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });
        harness.Client.Tags.Create(new Tag { Label = "c" });

        await harness.Client.SyncAsync();
        Assert.Equal(2, harness.Client.PendingCount);
        await harness.RetryUntilAsync(2);

        Assert.Equal(3, harness.Transport.Batches[0].Count);
        Assert.Equal(2, harness.Transport.Batches[1].Count);
        Assert.Equal(["a", "b", "c"], harness.Transport.Applied.Select(m => System.Text.Json.JsonDocument.Parse(m.Payload).RootElement.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Backoff_FollowsConfiguredCurve()
    {
        // S9: base 1 s, factor 2, cap 60 s (jitter off in the harness).
        await using var harness = new SyncHarness();
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.ThenTransient(times: 8);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();
        await harness.AdvanceUntilAsync(9);

        double[] gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        double[] expected = [1, 2, 4, 8, 16, 32, 60, 60];
        Assert.Equal(expected.Length, gaps.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.InRange(gaps[i], expected[i], expected[i] + 0.25);
        }
    }

    [Fact]
    public async Task Backoff_CustomCurveAndCap()
    {
        // S9
        await using var harness = new SyncHarness(o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromSeconds(2);
            o.Retry.BackoffFactor = 3;
            o.Retry.MaxDelay = TimeSpan.FromSeconds(20);
        });
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.ThenTransient(times: 4);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();
        await harness.AdvanceUntilAsync(5);

        double[] gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        double[] expected = [2, 6, 18, 20];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.InRange(gaps[i], expected[i], expected[i] + 0.25);
        }
    }

    [Fact]
    public async Task Backoff_HonoursRetryAfter()
    {
        // S9
        await using var harness = new SyncHarness();
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.ThenTransient(retryAfter: TimeSpan.FromSeconds(7), error: "429");
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();
        await harness.AdvanceUntilAsync(2);

        Assert.InRange((times[1] - times[0]).TotalSeconds, 7, 7.25);
    }

    [Theory]
    [InlineData(1, 0.0, 1.0)]
    [InlineData(1, 1.0, 0.8)]
    [InlineData(3, 0.5, 3.6)]
    [InlineData(10, 0.0, 60.0)]
    [InlineData(10, 1.0, 48.0)]
    public void Backoff_Jitter_RemovesAtMostTheRatio(int failures, double random, double expectedSeconds)
    {
        // S9: jitter never exceeds the curve or the cap.
        var options = new SyncRetryOptions();
        Assert.Equal(expectedSeconds, Backoff.Delay(options, failures, null, random).TotalSeconds, 6);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(int.MaxValue)]
    public void Backoff_RetryAfterAboveMaxDelay_IsCappedAtMaxDelay(int seconds)
    {
        // S9: the server's Retry-After is honoured up to the cap.
        var options = new SyncRetryOptions();
        Assert.Equal(options.MaxDelay, Backoff.Delay(options, 1, TimeSpan.FromSeconds(seconds), 0));
    }

    [Fact]
    public async Task MaxAttempts_CountsFirst_ThenExhausted()
    {
        // S9, F1
        await using var harness = new SyncHarness(o => o.MaxAttempts = 3);
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.ThenTransient(times: 3);
        Tag tag = harness.Client.Tags.Create(new Tag { Label = "a" });
        Tag other = harness.Client.Tags.Create(new Tag { Label = "b" });

        await harness.Client.SyncAsync();
        await harness.RetryUntilAsync(4);

        MutationFailedEventArgs failure = Assert.Single(failed);
        Assert.Equal((tag.Id, FailureReason.Exhausted, 3), (failure.Mutation.Key, failure.Reason, failure.Mutation.Attempts));
        PendingMutation pending = Assert.Single(harness.Client.GetPending());
        Assert.Equal((MutationStatus.PermanentlyFailed, FailureReason.Exhausted), (pending.Status, pending.FailureReason));
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(other.Id, out _));
        Assert.True(harness.Client.Tags.TryGet(tag.Id, out _));
    }

    [Fact]
    public async Task Rejected_FailsAtOnce_IndependentContinue()
    {
        // S9
        await using var harness = new SyncHarness();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Then(m => m.Resource == "tags" ? new PushResult.Rejected("422 invalid label", 422) : null);
        harness.Client.Tags.Create(new Tag { Label = "" });
        harness.Client.Users.Create(new User { Name = "u" });

        await harness.Client.SyncAsync();

        Assert.Equal(FailureReason.Rejected, Assert.Single(failed).Reason);
        Assert.Equal("422 invalid label", failed[0].Error);
        Assert.Equal(2, harness.Transport.PushCount);
        Assert.Single(harness.Client.GetPending());
    }

    [Fact]
    public async Task DependencyFailed_CascadesToDependents_IndependentContinue()
    {
        // S9, F2: the category never gets a server key; what references it, and later edits of those, fail.
        await using var harness = new SyncHarness();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Then(m => m.Resource == "categories" ? new PushResult.Rejected("400 bad", 400) : null);
        TestSync sync = harness.Client;
        Category category = sync.Categories.Create(new Category { Name = "c" });
        Tag tag = sync.Tags.Create(new Tag { Label = "independent" });
        Todo todo = sync.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });
        Attachment attachment = sync.Attachments.Create(new Attachment { FileName = "f", TodoId = todo.Id });
        sync.Categories.Update(category.Id, new CategoryPatch { Name = "c2" });

        await sync.SyncAsync();

        Assert.Equal([(MutationKind.Create, "categories", FailureReason.Rejected), (MutationKind.Create, "todos", FailureReason.DependencyFailed), (MutationKind.Create, "attachments", FailureReason.DependencyFailed)],
            failed.Select(f => (f.Mutation.Kind, f.Mutation.Resource, f.Reason)).Take(3));
        Assert.Equal(3, failed.Count);
        Assert.True(sync.IdMap.TryResolve<Tag>(tag.Id, out _));
        Assert.All(sync.GetPending(), p => Assert.Equal(MutationStatus.PermanentlyFailed, p.Status));
        Assert.True(sync.Categories.TryGet(category.Id, out _));
        Assert.True(sync.Todos.TryGet(todo.Id, out _));
        Assert.Empty(harness.Transport.Violations);
        _ = attachment;
    }

    [Fact]
    public async Task NewMutation_OnFailedCreate_FailsAtOnce()
    {
        // S9
        await using var harness = new SyncHarness();
        harness.Transport.Then(_ => new PushResult.Rejected("no", 400));
        Category category = harness.Client.Categories.Create(new Category { Name = "c" });
        await harness.Client.SyncAsync();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;

        harness.Client.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });

        Assert.Equal(FailureReason.DependencyFailed, Assert.Single(failed).Reason);
        await harness.Client.SyncAsync();
        Assert.Equal(1, harness.Transport.PushCount);
    }

    [Fact]
    public async Task RetryAsync_RevivesFailedMutationAndItsDependents()
    {
        // S9
        await using var harness = new SyncHarness();
        harness.Transport.Then(_ => new PushResult.Rejected("down for a moment", 400));
        TestSync sync = harness.Client;
        Category category = sync.Categories.Create(new Category { Name = "c" });
        Todo todo = sync.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });
        await sync.SyncAsync();
        long id = sync.GetPending()[0].Id;

        Assert.True(await sync.RetryAsync(id));
        await sync.SyncAsync();

        Assert.Equal(0, sync.PendingCount);
        Assert.True(sync.IdMap.TryResolve<Todo>(todo.Id, out _));
        Assert.False(await sync.RetryAsync(id));
        Assert.Empty(harness.Transport.Violations);
    }

    [Fact]
    public async Task DiscardAsync_FailedCreate_RemovesItem()
    {
        // S9, F2
        await using var harness = new SyncHarness();
        harness.Transport.Then(_ => new PushResult.Rejected("no", 400));
        Category category = harness.Client.Categories.Create(new Category { Name = "c" });
        await harness.Client.SyncAsync();

        Assert.True(await harness.Client.DiscardAsync(harness.Client.GetPending()[0].Id));

        Assert.False(harness.Client.Categories.TryGet(category.Id, out _));
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Empty(harness.Store.Load().Pending);
    }

    [Fact]
    public async Task ThrownTransportError_IsTransientForBatch()
    {
        // S9, F1
        await using var harness = new SyncHarness();
        harness.Transport.ThenThrow(new HttpRequestException("connection refused"));
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });

        await harness.Client.SyncAsync();

        Assert.All(harness.Client.GetPending(), p => Assert.Equal((MutationStatus.Failed, 1, "connection refused"), (p.Status, p.Attempts, p.LastError)));
        await harness.RetryUntilAsync(2);
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Theory]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TimeoutException))]
    public async Task ThrownIoOrTimeout_IsTransient(Type exceptionType)
    {
        // S9
        await using var harness = new SyncHarness();
        harness.Transport.ThenThrow((Exception)Activator.CreateInstance(exceptionType, "boom")!);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();

        Assert.Equal(MutationStatus.Failed, harness.Client.GetPending()[0].Status);
    }

    [Theory]
    [InlineData("socket")]
    [InlineData("socket in HttpRequestException")]
    [InlineData("socket in InvalidOperationException")]
    [InlineData("IOException in AggregateException")]
    public async Task ThrownConnectionError_OfAnyTypeWrappedOrNot_IsTransient(string shape)
    {
        // S9 (issue 11): a reset of a fresh connection escapes as a bare SocketException; it used to fail the mutation as Rejected.
        var reset = new SocketException((int)SocketError.ConnectionReset);
        Exception thrown = shape switch
        {
            "socket" => reset,
            "socket in HttpRequestException" => new HttpRequestException("An error occurred while sending the request.", reset),
            "socket in InvalidOperationException" => new InvalidOperationException("A handler failed.", reset),
            _ => new AggregateException(new IOException("Connection reset by peer")),
        };
        await using var harness = new SyncHarness();
        harness.Transport.ThenThrow(thrown);
        Tag tag = harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();

        PendingMutation pending = Assert.Single(harness.Client.GetPending());
        Assert.Equal((MutationStatus.Failed, 1, null), (pending.Status, pending.Attempts, pending.FailureReason));
        await harness.AdvanceUntilAsync(2);
        await harness.Client.SyncAsync();
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(tag.Id, out _));
    }

    [Fact]
    public async Task RetryAfterOfYears_IsCappedAtMaxDelay_AndTheDrainGoesOn()
    {
        // S9 (issue 11): "Retry-After: 2147483647" used to stop the drain ("sync drain stopped unexpectedly").
        await using var harness = new SyncHarness();
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.ThenTransient(retryAfter: TimeSpan.FromSeconds(int.MaxValue), error: "503");
        Tag tag = harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();
        Assert.Equal(SyncStatus.WaitingToRetry, harness.Client.Status);
        await harness.AdvanceUntilAsync(2);
        await harness.Client.SyncAsync();

        Assert.Equal(harness.Options.Retry.MaxDelay, times[1] - times[0]);
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(tag.Id, out _));
        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
    }

    [Fact]
    public async Task ThrownUnexpectedError_FailsHeadPermanently()
    {
        await using var harness = new SyncHarness();
        harness.Transport.ThenThrow(new InvalidOperationException("bad answer"));
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });

        await harness.Client.SyncAsync();

        Assert.Equal([MutationStatus.PermanentlyFailed], harness.Client.GetPending().Select(p => p.Status));
        Assert.Contains("bad answer", harness.Client.GetPending()[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedFailures_StatusShowsOffline()
    {
        // S8
        await using var harness = new SyncHarness();
        var statuses = new List<SyncStatus>();
        harness.Client.StatusChanged += e => statuses.Add(e.Current);
        harness.Transport.ThenTransient(times: 3);
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();
        await harness.RetryUntilAsync(3);
        Assert.Equal(SyncStatus.Offline, harness.Client.Status);

        await harness.RetryUntilAsync(4);
        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
        Assert.Contains(SyncStatus.WaitingToRetry, statuses);
    }

    [Fact]
    public async Task OptimisticKeyNeverConfirmed_ItemStaysPending_DependentsFailWithDependencyFailed()
    {
        // F2, F1, S9: the create exhausts its attempts; the item stays in the view as an unconfirmed local change.
        await using var harness = new SyncHarness(o => o.MaxAttempts = 2);
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Always = m => m.Resource == "categories" ? new PushResult.Transient("503 down", null) : null;
        TestSync sync = harness.Client;
        Category category = sync.Categories.Create(new Category { Name = "never confirmed" });
        Todo todo = sync.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });
        Tag independent = sync.Tags.Create(new Tag { Label = "independent" });

        await sync.SyncAsync();
        await harness.RetryUntilAsync(2);

        Assert.Equal([(category.Id, FailureReason.Exhausted), (todo.Id, FailureReason.DependencyFailed)], failed.Select(f => (f.Mutation.Key, f.Reason)));
        Assert.True(sync.Categories.TryGet(category.Id, out Category? shown));
        Assert.Equal(category.Id, shown.Id);
        Assert.Equal(1, sync.Categories.PendingCount);
        Assert.True(sync.Todos.TryGet(todo.Id, out _));
        Assert.False(sync.IdMap.TryResolve<Category>(category.Id, out _));
        Assert.True(sync.IdMap.TryResolve<Tag>(independent.Id, out _));
        Assert.Equal([(MutationStatus.PermanentlyFailed, 2, "503 down"), (MutationStatus.PermanentlyFailed, 0, failed[1].Error)],
            sync.GetPending().Select(p => (p.Status, p.Attempts, p.LastError)));
        Assert.DoesNotContain(harness.Transport.Applied, m => m.Resource != "tags");
        Assert.Empty(harness.Transport.Violations);
    }
}
