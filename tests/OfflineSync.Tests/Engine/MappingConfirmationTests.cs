using System.Text;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class MappingConfirmationTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConfirmedCreate_MappingAndRemovalGoToTheStoreInOneCall()
    {
        // S3: one store call, so SqliteMutationStore commits both in one transaction; nothing else touches them.
        var store = new RecordingStore();
        await using var harness = new SyncHarness(store: store);
        Category category = harness.Client.Categories.Create(new Category { Name = "c" });
        harness.Client.Tags.Create(new Tag { Id = "kept", Label = "proposed" });
        store.Calls.Clear();

        await harness.Client.SyncAsync();

        Assert.True(harness.Client.IdMap.TryResolve<Category>(category.Id, out string? serverKey));
        Assert.Equal([$"Complete 1 categories {category.Id}->{serverKey}", "Complete 2 -"], store.Calls);
        Assert.Equal([new IdMapping("categories", category.Id, serverKey)], store.Load().Mappings);
    }

    [Fact]
    public async Task FeedConfirmsMappingBeforePushAnswer_PushAnswerIsANoOp()
    {
        // S3, S15: whichever of the feed and the push answer arrives first records the mapping; IdRemapped fires once.
        var store = new RecordingStore();
        await using var harness = new SyncHarness(store: store);
        TestSync sync = harness.Client;
        await WaitLive(sync);
        var remaps = new List<IdRemappedEventArgs>();
        var remapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sync.IdRemapped += e =>
        {
            lock (remaps)
            {
                remaps.Add(e);
            }

            remapped.TrySetResult();
        };
        var release = new TaskCompletionSource();
        harness.Transport.OnPush = _ => release.Task;
        harness.Transport.AssignKey = _ => "srv-feed";
        Category category = sync.Categories.Create(new Category { Name = "c" });
        Task draining = sync.SyncAsync();
        await harness.Transport.WaitForBatchesAsync(1);

        harness.Transport.Publish(new ChangeEvent("categories", ChangeKind.Added, 1, "srv-feed", category.Id, "v1",
            Encoding.UTF8.GetBytes("""{"id":"srv-feed","name":"c","version":"v1"}""")) { OriginClientId = harness.ClientId });
        await remapped.Task.WaitAsync(HangGuard);
        Assert.Equal(1, sync.PendingCount);
        release.SetResult();
        await draining;

        lock (remaps)
        {
            Assert.Equal([new IdRemappedEventArgs("categories", category.Id, "srv-feed")], remaps);
        }

        Assert.Equal([$"AddMapping categories {category.Id}->srv-feed", "Complete 1 -"], store.Calls.Where(c => !c.StartsWith("Append", StringComparison.Ordinal)));
        Assert.Equal([new IdMapping("categories", category.Id, "srv-feed")], store.Load().Mappings);
        Assert.Equal(0, sync.PendingCount);
        Assert.True(sync.Categories.TryGet(category.Id, out Category? shown));
        Assert.Equal("srv-feed", shown.Id);
        Assert.Single(sync.Categories.Items);
    }

    [Fact]
    public async Task PushAnswerConfirmsMappingBeforeFeed_FeedEventIsANoOp()
    {
        // S3, S15, S18
        await using var harness = new SyncHarness();
        TestSync sync = harness.Client;
        await WaitLive(sync);
        var remaps = new List<IdRemappedEventArgs>();
        sync.IdRemapped += e =>
        {
            lock (remaps)
            {
                remaps.Add(e);
            }
        };
        Category category = sync.Categories.Create(new Category { Name = "c" });
        await sync.SyncAsync();
        Assert.True(sync.IdMap.TryResolve<Category>(category.Id, out string? serverKey));

        // A later event for another row proves the feed has processed this one.
        harness.Transport.Publish(new ChangeEvent("categories", ChangeKind.Added, 1, serverKey, category.Id, "v1",
            Encoding.UTF8.GetBytes($$"""{"id":"{{serverKey}}","name":"c","version":"v1"}""")) { OriginClientId = harness.ClientId });
        harness.Transport.Publish(new ChangeEvent("categories", ChangeKind.Added, 2, "other", null, "v1",
            Encoding.UTF8.GetBytes("""{"id":"other","name":"o","version":"v1"}""")));
        for (int i = 0; i < 1000 && !sync.Categories.TryGet("other", out _); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(sync.Categories.TryGet("other", out _));
        lock (remaps)
        {
            Assert.Single(remaps);
        }

        Assert.Single(harness.Store.Load().Mappings);
        Assert.Equal(2, sync.Categories.Items.Count);
    }

    [Fact]
    public async Task RetryAfterALostAnswer_WhenTheFeedConfirmedTheCreateMeanwhile_RepeatsTheRequestsExactly()
    {
        // S3, S9: the server may have applied the batch and replays it by idempotency key only for the same request
        // (key and body); a retry that swapped in the server key the feed revealed would be refused as a reused key.
        var server = new ScriptedTransport { AssignKey = m => m.Resource == "categories" ? "srv-c" : null };
        var transport = new AnswerLostTransport(server) { Failure = new IOException("connection reset") };
        await using var harness = new SyncHarness(o => o.Transport = transport, transport: server);
        TestSync sync = harness.Client;
        await WaitLive(sync);
        var remapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sync.IdRemapped += _ => remapped.TrySetResult();
        Category category = sync.Categories.Create(new Category { Name = "c" });
        sync.Todos.Create(new Todo { Title = "t", CategoryId = category.Id });
        await sync.SyncAsync();
        sync.Categories.Update(category.Id, new CategoryPatch { Name = "c2" });

        server.Publish(new ChangeEvent("categories", ChangeKind.Added, 1, "srv-c", category.Id, "v1",
            Encoding.UTF8.GetBytes("""{"id":"srv-c","name":"c","version":"v1"}""")) { OriginClientId = harness.ClientId });
        await remapped.Task.WaitAsync(HangGuard);
        await harness.RetryUntilAsync(2);

        string Request(OutgoingMutation m) => $"{m.Kind} {m.Key} {m.IdempotencyKey} {Encoding.UTF8.GetString(m.Payload.Span)}";
        IReadOnlyList<IReadOnlyList<OutgoingMutation>> batches = server.Batches;
        Assert.Equal(batches[0].Select(Request), batches[1].Take(2).Select(Request));
        Assert.Equal((MutationKind.Update, category.Id), (batches[1][2].Kind, batches[1][2].Key));
        Assert.Equal(0, sync.PendingCount);
        Assert.Equal("c2", server.RowOf("categories", "srv-c")!["name"]!.GetValue<string>());
    }

    private static async Task WaitLive(TestSync sync)
    {
        for (int i = 0; i < 1000 && sync.Categories.Status != SyncSetStatus.Live; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(SyncSetStatus.Live, sync.Categories.Status);
    }

    /// <summary>An in-memory store that records the calls that change queue entries or mappings.</summary>
    private sealed class RecordingStore : IMutationStore
    {
        private readonly InMemoryMutationStore _inner = new();

        public List<string> Calls { get; } = [];

        public StoreState Load() => _inner.Load();

        public void Append(StoredMutation mutation)
        {
            Record($"Append {mutation.Sequence}");
            _inner.Append(mutation);
        }

        public void Update(StoredMutation mutation) => _inner.Update(mutation);

        public void Remove(IReadOnlyCollection<long> sequences)
        {
            Record($"Remove {string.Join(',', sequences)}");
            _inner.Remove(sequences);
        }

        public void Complete(long sequence, IdMapping? mapping)
        {
            Record($"Complete {sequence} {Describe(mapping)}");
            _inner.Complete(sequence, mapping);
        }

        public void AddMapping(IdMapping mapping)
        {
            Record($"AddMapping {Describe(mapping)}");
            _inner.AddMapping(mapping);
        }

        public long NextOptimisticCounter(string resource) => _inner.NextOptimisticCounter(resource);

        public void Clear()
        {
            Record("Clear");
            _inner.Clear();
        }

        public void Dispose() => _inner.Dispose();

        private static string Describe(IdMapping? mapping) =>
            mapping is null ? "-" : $"{mapping.Resource} {mapping.OptimisticKey}->{mapping.ServerKey}";

        private void Record(string call)
        {
            lock (Calls)
            {
                Calls.Add(call);
            }
        }
    }
}
