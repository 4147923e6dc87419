using System.Text;
using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View;

namespace OfflineSync.Tests.Engine;

public sealed class ConflictTests
{
    private const string ServerRow = """{"id":"t1","title":"server","completed":false,"tagIds":[],"version":"v9"}""";

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static PushResult.Conflict Conflict(string json = ServerRow, string? version = "v9") =>
        new(Encoding.UTF8.GetBytes(json), version, "409 version mismatch");

    private static PushResult.Conflict Gone() => new(ReadOnlyMemory<byte>.Empty, null, "Gone (urn:offlinesync:problem:gone): the row was deleted");

    private static async Task<SyncHarness> WithRow(Action<SyncOptions>? configure = null)
    {
        var harness = new SyncHarness(configure);
        harness.Transport.Seed("todos", "t1", "v1", """{"id":"t1","title":"old","completed":false,"tagIds":[]}""");
        await harness.RelistAsync(harness.Client.Todos);
        await QueueTests.WaitForRow(harness.Client, "t1");
        return harness;
    }

    [Fact]
    public async Task Update_SendsBaseVersionOfViewRow()
    {
        // S10
        await using SyncHarness harness = await WithRow();
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });
        await harness.Client.SyncAsync();

        Assert.Equal("v1", harness.Transport.Sent.Single().BaseVersion);
    }

    [Fact]
    public async Task UpdateOfRowCreatedOffline_SendsVersionItsCreateReturned()
    {
        // S10: the create is in flight when the update is made, so the update waits for its answer's version.
        await using var harness = new SyncHarness(o => o.BatchSize = 1);
        var release = new TaskCompletionSource();
        harness.Transport.OnPush = _ => release.Task;
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "a" });
        Task draining = harness.Client.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(1);
        harness.Client.Todos.Update(todo.Id, new TodoPatch { Title = "b" });
        harness.Client.Todos.Update(todo.Id, new TodoPatch { Completed = true });
        harness.Transport.OnPush = null;
        release.SetResult();
        await draining;
        await harness.Client.SyncAsync();

        OutgoingMutation update = harness.Transport.Sent[1];
        Assert.Equal((MutationKind.Update, "v1"), (update.Kind, update.BaseVersion));
        Assert.Equal(2, harness.Transport.Sent.Count);
    }

    [Fact]
    public async Task ServerWins_DropsMutation_ViewTakesServerState()
    {
        // S10, S11
        await using SyncHarness harness = await WithRow();
        var conflicts = new List<SyncConflict>();
        harness.Client.ConflictDetected += conflicts.Add;
        harness.Transport.Then(_ => Conflict());
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });

        await harness.Client.SyncAsync();

        SyncConflict conflict = Assert.Single(conflicts);
        Assert.Equal(("t1", MutationKind.Update, "v9", ConflictStrategy.ServerWins), (conflict.Key, conflict.Kind, conflict.ServerVersion, conflict.Strategy));
        Assert.Equal("server", conflict.GetServerState<Todo>()!.Title);
        Assert.Equal("mine", conflict.GetLocalPatch<Todo>() is TodoPatch patch ? patch.Title.Value : null);
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.True(harness.Client.Todos.TryGet("t1", out Todo? shown));
        Assert.Equal("server", shown.Title);
        Assert.Single(harness.Transport.Sent);
    }

    [Fact]
    public async Task ClientWins_ResendsOnServerVersion_WithDerivedIdempotencyKey()
    {
        // S11
        await using SyncHarness harness = await WithRow(o => o.ConflictStrategy = ConflictStrategy.ClientWins);
        var conflicts = new List<SyncConflict>();
        harness.Client.ConflictDetected += conflicts.Add;
        harness.Transport.Then(_ => Conflict());
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });

        await harness.Client.SyncAsync();

        Assert.Single(conflicts);
        Assert.Equal(2, harness.Transport.Sent.Count);
        OutgoingMutation first = harness.Transport.Sent[0];
        OutgoingMutation resend = harness.Transport.Sent[1];
        Assert.Equal(first.IdempotencyKey + ":r1", resend.IdempotencyKey);
        Assert.Equal("v9", resend.BaseVersion);
        Assert.True(resend.Payload.Span.SequenceEqual(first.Payload.Span));
        Assert.True(harness.Client.Todos.TryGet("t1", out Todo? shown) && shown.Title == "mine");
    }

    [Fact]
    public async Task ClientWins_SecondConflict_GetsR2_AfterTheBackoff()
    {
        // S11: the first re-send goes at once; a repeated conflict backs off like a transient failure (base delay).
        await using SyncHarness harness = await WithRow(o => o.ConflictStrategy = ConflictStrategy.ClientWins);
        List<DateTimeOffset> pushTimes = harness.RecordPushTimes();
        harness.Transport.Then(_ => Conflict()).Then(_ => Conflict(version: "v10"));
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });

        await harness.Client.SyncAsync();
        Assert.Equal(2, harness.Transport.PushCount);
        await harness.AdvanceUntilAsync(3);
        await harness.Client.SyncAsync();

        Assert.EndsWith(":r2", harness.Transport.Sent[2].IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal("v10", harness.Transport.Sent[2].BaseVersion);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1)], [pushTimes[1] - pushTimes[0], pushTimes[2] - pushTimes[1]]);
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Fact]
    public async Task Manual_WaitsForAnswer_NothingOvertakes_ThenRetry()
    {
        // S8, S11: SyncAsync returns while the head waits on the app; the item keeps its optimistic state.
        var answer = new TaskCompletionSource<ConflictResolution>();
        await using SyncHarness harness = await WithRow(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = _ => answer.Task;
        });
        harness.Transport.Then(_ => Conflict());
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });
        harness.Client.Tags.Create(new Tag { Label = "behind" });

        await harness.Client.SyncAsync();

        Assert.Equal(MutationStatus.Conflicted, harness.Client.GetPending()[0].Status);
        Assert.True(harness.Client.Todos.TryGet("t1", out Todo? waiting) && waiting.Title == "mine");
        Assert.Equal(1, harness.Transport.PushCount);

        answer.SetResult(ConflictResolution.Retry);
        await harness.Transport.WaitForBatchesAsync(2);
        await harness.Client.SyncAsync();

        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Equal([MutationKind.Update, MutationKind.Create], harness.Transport.Applied.Select(m => m.Kind));
        Assert.Equal("v9", harness.Transport.Applied[0].BaseVersion);
        Assert.EndsWith(":r1", harness.Transport.Applied[0].IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manual_Replace_SendsReplacementAsDiffFromServer()
    {
        // S11
        await using SyncHarness harness = await WithRow(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = c =>
            {
                Todo merged = c.GetServerState<Todo>()!;
                merged.Completed = true;
                return Task.FromResult(ConflictResolution.Replace(merged));
            };
        });
        harness.Transport.Then(_ =>
        {
            // Another client changed the row: the server holds what the conflict reports.
            harness.Transport.Seed("todos", "t1", "v9", ServerRow);
            return Conflict();
        });
        harness.Client.Todos.Update("t1", new TodoPatch { Completed = true, Title = "mine" });

        await harness.Client.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(2);
        await harness.Client.SyncAsync();

        using JsonDocument payload = JsonDocument.Parse(harness.Transport.Sent[1].Payload);
        Assert.True(payload.RootElement.GetProperty("completed").GetBoolean());
        Assert.False(payload.RootElement.TryGetProperty("title", out _));
        Assert.True(harness.Client.Todos.TryGet("t1", out Todo? shown));
        Assert.Equal(("server", true), (shown.Title, shown.Completed));
    }

    [Fact]
    public async Task Manual_Discard_DropsAndShowsServer()
    {
        // S11
        await using SyncHarness harness = await WithRow(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = _ => Task.FromResult(ConflictResolution.Discard);
        });
        harness.Transport.Then(_ => Conflict());
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });

        await harness.Client.SyncAsync();
        for (int i = 0; i < 200 && harness.Client.PendingCount > 0; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(0, harness.Client.PendingCount);
        Assert.True(harness.Client.Todos.TryGet("t1", out Todo? shown) && shown.Title == "server");
    }

    [Fact]
    public async Task Manual_CallbackThrows_FailsWithConflict()
    {
        // F3
        await using SyncHarness harness = await WithRow(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = _ => throw new InvalidOperationException("no idea");
        });
        var failed = new TaskCompletionSource<MutationFailedEventArgs>();
        harness.Client.MutationFailed += e => failed.TrySetResult(e);
        harness.Transport.Then(_ => Conflict());
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });

        await harness.Client.SyncAsync();
        MutationFailedEventArgs failure = await failed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(FailureReason.Conflict, failure.Reason);
        Assert.Contains("no idea", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConflict_ServerWins_RemovesItemAndFailsDependents()
    {
        // S11, F3
        await using var harness = new SyncHarness();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Then(m => m.Resource == "categories" ? new PushResult.Conflict(ReadOnlyMemory<byte>.Empty, null, "409 name taken") : null);
        Category category = harness.Client.Categories.Create(new Category { Name = "dup" });
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });

        await harness.Client.SyncAsync();

        Assert.False(harness.Client.Categories.TryGet(category.Id, out _));
        MutationFailedEventArgs failure = Assert.Single(failed);
        Assert.Equal((todo.Id, FailureReason.DependencyFailed), (failure.Mutation.Key, failure.Reason));
        Assert.Equal(1, harness.Transport.PushCount);
        Assert.Empty(harness.Transport.Applied);
    }

    [Fact]
    public async Task CreateConflict_ClientWins_FailsWithConflict_ItemStays()
    {
        // S11, F3
        await using var harness = new SyncHarness(o => o.ConflictStrategy = ConflictStrategy.ClientWins);
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Then(_ => new PushResult.Conflict(ReadOnlyMemory<byte>.Empty, null, "409 name taken"));
        Category category = harness.Client.Categories.Create(new Category { Name = "dup" });

        await harness.Client.SyncAsync();

        Assert.Equal(FailureReason.Conflict, Assert.Single(failed).Reason);
        Assert.True(harness.Client.Categories.TryGet(category.Id, out _));
        Assert.Equal(MutationStatus.PermanentlyFailed, harness.Client.GetPending().Single().Status);
    }

    [Fact]
    public async Task CreateConflict_ManualReplace_ResendsNewData()
    {
        // S11, F3
        await using var harness = new SyncHarness(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = c =>
            {
                Category mine = c.GetLocalEntity<Category>()!;
                mine.Name += " (2)";
                return Task.FromResult(ConflictResolution.Replace(mine));
            };
        });
        harness.Transport.Then(_ => new PushResult.Conflict(ReadOnlyMemory<byte>.Empty, null, "409 name taken"));
        Category category = harness.Client.Categories.Create(new Category { Name = "dup" });

        await harness.Client.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(2);
        await harness.Client.SyncAsync();

        OutgoingMutation resend = harness.Transport.Sent[1];
        Assert.Equal((category.Id, category.Id), (resend.Key, resend.OptimisticKey));
        Assert.EndsWith(":r1", resend.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal("dup (2)", JsonDocument.Parse(resend.Payload).RootElement.GetProperty("name").GetString());
        Assert.True(harness.Client.Categories.TryGet(category.Id, out Category? shown));
        Assert.Equal("dup (2)", shown.Name);
    }

    [Fact]
    public async Task CreateConflict_ManualRetry_Resends()
    {
        // S11
        await using var harness = new SyncHarness(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = _ => Task.FromResult(ConflictResolution.Retry);
        });
        harness.Transport.Then(_ => new PushResult.Conflict(ReadOnlyMemory<byte>.Empty, null, "409 busy"));
        Category category = harness.Client.Categories.Create(new Category { Name = "c" });

        await harness.Client.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(2);
        await harness.Client.SyncAsync();

        Assert.True(harness.Client.IdMap.TryResolve<Category>(category.Id, out _));
    }

    [Fact]
    public async Task DeleteConflict_ServerWins_ItemComesBack()
    {
        // S11
        await using SyncHarness harness = await WithRow();
        harness.Transport.Then(_ => Conflict());
        harness.Client.Todos.Delete("t1");
        Assert.False(harness.Client.Todos.TryGet("t1", out _));

        await harness.Client.SyncAsync();

        Assert.True(harness.Client.Todos.TryGet("t1", out Todo? shown) && shown.Title == "server");
    }

    [Fact]
    public async Task CreateConflict_Manual_ItemStaysUntilAnswered_ThenDiscardRemovesItAndFailsDependents()
    {
        // F3, S11: until OnConflict answers, the optimistic item stays and nothing behind it is sent.
        var answer = new TaskCompletionSource<ConflictResolution>();
        var asked = new List<SyncConflict>();
        await using var harness = new SyncHarness(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = c =>
            {
                asked.Add(c);
                return answer.Task;
            };
        });
        var detected = new List<SyncConflict>();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.ConflictDetected += detected.Add;
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Then(m => m.Resource == "categories" ? new PushResult.Conflict(ReadOnlyMemory<byte>.Empty, null, "409 name taken") : null);
        Category category = harness.Client.Categories.Create(new Category { Name = "dup" });
        Todo todo = harness.Client.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });

        await harness.Client.SyncAsync();

        Assert.Equal((MutationKind.Create, category.Id), (Assert.Single(detected).Mutation.Kind, detected[0].Mutation.Key));
        Assert.Same(detected[0], Assert.Single(asked));
        Assert.True(harness.Client.Categories.TryGet(category.Id, out _));
        Assert.Equal([MutationStatus.Conflicted, MutationStatus.Pending], harness.Client.GetPending().Select(p => p.Status));
        Assert.Empty(failed);
        Assert.Equal(1, harness.Transport.PushCount);

        answer.SetResult(ConflictResolution.Discard);
        for (int i = 0; i < 1000 && harness.Client.Categories.TryGet(category.Id, out _); i++)
        {
            await Task.Delay(5);
        }

        await harness.Client.SyncAsync();
        Assert.False(harness.Client.Categories.TryGet(category.Id, out _));
        MutationFailedEventArgs failure = Assert.Single(failed);
        Assert.Equal((todo.Id, FailureReason.DependencyFailed), (failure.Mutation.Key, failure.Reason));
        Assert.Equal(1, harness.Transport.PushCount);
        Assert.Empty(harness.Transport.Applied);
    }

    [Theory]
    [InlineData(ConflictStrategy.ServerWins)]
    [InlineData(ConflictStrategy.ClientWins)]
    public async Task UpdateOfARowAnotherClientDeleted_IsDropped_AndTheViewTakesTheDeletion(ConflictStrategy strategy)
    {
        // S11 (issue 11): 409 without a current state means the row is gone; ClientWins used to re-send at once, forever.
        await using SyncHarness harness = await WithRow(o => o.ConflictStrategy = strategy);
        var conflicts = new List<SyncConflict>();
        harness.Client.ConflictDetected += conflicts.Add;
        harness.Transport.Always = static m => m.Key == "t1" ? Gone() : null;
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });
        Tag later = harness.Client.Tags.Create(new Tag { Label = "later" });

        await harness.Client.SyncAsync().WaitAsync(HangGuard);

        Assert.Single(harness.Transport.Sent, static m => m.Key == "t1");
        SyncConflict conflict = Assert.Single(conflicts);
        Assert.Equal((MutationKind.Update, true, null, strategy), (conflict.Kind, conflict.ServerState.IsEmpty, conflict.ServerVersion, conflict.Strategy));
        Assert.False(harness.Client.Todos.TryGet("t1", out _));
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(later.Id, out _));
    }

    [Fact]
    public async Task ClientWins_DeleteOfARowAnotherClientDeleted_IsDropped()
    {
        // S11: a delete of a gone row cannot be re-sent either; the item stays gone.
        await using SyncHarness harness = await WithRow(o => o.ConflictStrategy = ConflictStrategy.ClientWins);
        harness.Transport.Always = static m => m.Key == "t1" ? Gone() : null;
        harness.Client.Todos.Delete("t1");

        await harness.Client.SyncAsync().WaitAsync(HangGuard);

        Assert.Single(harness.Transport.Sent);
        Assert.False(harness.Client.Todos.TryGet("t1", out _));
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Fact]
    public async Task ClientWins_AlwaysInConflict_BacksOffBetweenResends_ThenExhausted_AndLaterMutationsGo()
    {
        // S9, S11 (issue 11): re-sends count toward MaxAttempts, the second and later wait the transient backoff, SyncAsync
        // returns while the head waits (S8), and once the head fails for good the independent mutation behind it goes.
        await using SyncHarness harness = await WithRow(o =>
        {
            o.ConflictStrategy = ConflictStrategy.ClientWins;
            o.MaxAttempts = 4;
        });
        List<DateTimeOffset> times = harness.RecordPushTimes();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Always = static m => m.Key == "t1" ? Conflict() : null;
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });
        Tag later = harness.Client.Tags.Create(new Tag { Label = "later" });

        await harness.Client.SyncAsync().WaitAsync(HangGuard);
        Assert.Equal(2, harness.Transport.PushCount);
        Assert.Equal(SyncStatus.WaitingToRetry, harness.Client.Status);

        await harness.AdvanceUntilAsync(5);
        await harness.Client.SyncAsync().WaitAsync(HangGuard);

        string first = harness.Transport.Sent[0].IdempotencyKey;
        Assert.Equal([first, first + ":r1", first + ":r2", first + ":r3"], harness.Transport.Sent.Where(static m => m.Key == "t1").Select(static m => m.IdempotencyKey));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.Zero], times.Zip(times.Skip(1), static (a, b) => b - a));
        MutationFailedEventArgs failure = Assert.Single(failed);
        Assert.Equal(("t1", FailureReason.Exhausted), (failure.Mutation.Key, failure.Reason));
        PendingMutation head = Assert.Single(harness.Client.GetPending());
        Assert.Equal((MutationStatus.PermanentlyFailed, 4), (head.Status, head.Attempts));
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(later.Id, out _));
        Assert.Equal(5, harness.Transport.PushCount);
    }

    [Fact]
    public async Task Manual_RetryAnsweredEveryTime_CountsTowardMaxAttempts_ThenExhausted()
    {
        // S11: the app's Retry is a re-send like ClientWins': bounded by MaxAttempts, backing off from the second.
        await using SyncHarness harness = await WithRow(o =>
        {
            o.ConflictStrategy = ConflictStrategy.Manual;
            o.OnConflict = static _ => Task.FromResult(ConflictResolution.Retry);
            o.MaxAttempts = 3;
        });
        List<DateTimeOffset> times = harness.RecordPushTimes();
        harness.Transport.Always = static m => m.Key == "t1" ? Conflict() : null;
        harness.Client.Todos.Update("t1", new TodoPatch { Title = "mine" });

        await harness.Client.SyncAsync().WaitAsync(HangGuard);
        await harness.AdvanceUntilAsync(3);
        await Poll.Until(() => harness.Client.GetPending()[0].Status == MutationStatus.PermanentlyFailed, "the update fails for good", 30_000);

        Assert.Equal(3, harness.Transport.PushCount);
        Assert.Equal(TimeSpan.FromSeconds(1), times[2] - times[1]);
        Assert.Equal((FailureReason.Exhausted, 3), (harness.Client.GetPending()[0].FailureReason, harness.Client.GetPending()[0].Attempts));
    }
}
