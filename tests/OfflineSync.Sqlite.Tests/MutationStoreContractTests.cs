namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// The <see cref="IMutationStore"/> contract: every store passes the same assertions. Subclasses
/// only say how to make a store.
/// </summary>
public abstract class MutationStoreContractTests : IDisposable
{
    private readonly List<IMutationStore> _stores = [];

    protected abstract IMutationStore CreateStoreCore();

    public virtual void Dispose()
    {
        foreach (IMutationStore store in _stores)
        {
            store.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Load_NewStore_IsEmptyWithAClientId()
    {
        IMutationStore store = CreateStore();

        StoreState state = store.Load();

        Assert.False(string.IsNullOrWhiteSpace(state.ClientId));
        Assert.Equal(0, state.LastSequence);
        Assert.Empty(state.Pending);
        Assert.Empty(state.Mappings);
    }

    [Fact]
    public void Load_Twice_KeepsTheClientId()
    {
        IMutationStore store = CreateStore();

        Assert.Equal(store.Load().ClientId, store.Load().ClientId);
    }

    [Fact]
    public void Append_EveryKindAndField_LoadsTheSameMutationsInQueueOrder()
    {
        // S4, S5: what was appended comes back, field for field, in FIFO order.
        IMutationStore store = CreateStore();
        StoredMutation[] appended =
        [
            Mutations.Create(1),
            Mutations.Update(2, "optimistic_000001"),
            Mutations.Delete(3, "server-7", "categories") with
            {
                Status = MutationStatus.PermanentlyFailed,
                Attempts = 10,
                LastError = "503 Service Unavailable",
                FailureReason = FailureReason.Exhausted,
                Resends = 2,
            },
        ];
        foreach (StoredMutation mutation in appended)
        {
            store.Append(mutation);
        }

        StoreState state = store.Load();

        Mutations.AssertSame(appended, state.Pending);
        Assert.Equal(3, state.LastSequence);
    }

    [Fact]
    public void Append_SequencesOutOfOrder_LoadsInSequenceOrder()
    {
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(5));
        store.Append(Mutations.Create(2));
        store.Append(Mutations.Create(9));

        StoreState state = store.Load();

        Assert.Equal([2L, 5L, 9L], state.Pending.Select(m => m.Sequence));
        Assert.Equal(9, state.LastSequence);
    }

    [Fact]
    public void Append_SequenceAlreadyQueued_ThrowsAndKeepsTheFirst()
    {
        IMutationStore store = CreateStore();
        StoredMutation first = Mutations.Create(1);
        store.Append(first);

        Assert.Throws<SyncStoreException>(() => store.Append(Mutations.Update(1, "other")));

        Mutations.AssertSame([first], store.Load().Pending);
        store.Append(Mutations.Create(2)); // The store stays usable.
        Assert.Equal(2, store.Load().Pending.Count);
    }

    [Fact]
    public void Update_QueuedSequence_ReplacesEveryField()
    {
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Create(2));
        StoredMutation changed = Mutations.Create(1) with
        {
            Payload = "{\"title\":\"coalesced\"}"u8.ToArray(),
            Status = MutationStatus.Failed,
            Attempts = 3,
            LastError = "timeout",
            BaseVersion = "\"v9\"",
        };

        store.Update(changed);

        Mutations.AssertSame([changed, Mutations.Create(2)], store.Load().Pending);
    }

    [Fact]
    public void Update_UnknownSequence_IsIgnored()
    {
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));

        store.Update(Mutations.Create(7));

        Mutations.AssertSame([Mutations.Create(1)], store.Load().Pending);
    }

    [Fact]
    public void Remove_SomeSequences_RemovesOnlyThoseAndIgnoresUnknown()
    {
        IMutationStore store = CreateStore();
        for (long i = 1; i <= 4; i++)
        {
            store.Append(Mutations.Create(i));
        }

        store.Remove([2, 4, 99]);
        store.Remove([]);

        Assert.Equal([1L, 3L], store.Load().Pending.Select(m => m.Sequence));
    }

    [Fact]
    public void Remove_WholeQueue_KeepsTheLastSequence()
    {
        // Sequences are never reused, even when the queue drains.
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Create(2));

        store.Remove([1, 2]);

        StoreState state = store.Load();
        Assert.Empty(state.Pending);
        Assert.Equal(2, state.LastSequence);
    }

    [Fact]
    public void Complete_WithMapping_RemovesTheMutationAndRecordsTheMapping()
    {
        // S3
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Update(2, "optimistic_000001"));
        var mapping = new IdMapping("todos", "optimistic_000001", "srv-1");

        store.Complete(1, mapping);

        StoreState state = store.Load();
        Assert.Equal([2L], state.Pending.Select(m => m.Sequence));
        Assert.Equal([mapping], state.Mappings);
    }

    [Fact]
    public void Complete_WithoutMapping_OnlyRemovesTheMutation()
    {
        // S2: the server kept the proposed key, so there is nothing to map.
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1, key: "my-own-key"));

        store.Complete(1, null);

        StoreState state = store.Load();
        Assert.Empty(state.Pending);
        Assert.Empty(state.Mappings);
    }

    [Fact]
    public void Complete_AnswerToABatch_RemovesEveryConfirmedMutation_RecordsTheirMappings_ReplacesTheUpdated()
    {
        // S3, S10: one push's answer: two creates (one kept its proposed key), an update of the first; the delete queued
        // after them takes the update's version as its base.
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Create(2, key: "my-own-key"));
        store.Append(Mutations.Update(3, "optimistic_000001"));
        store.Append(Mutations.Delete(4, "optimistic_000001"));
        var mapping = new IdMapping("todos", "optimistic_000001", "srv-1");
        StoredMutation rebased = Mutations.Delete(4, "optimistic_000001") with { BaseVersion = "\"v2\"" };

        store.Complete([new CompletedMutation(1, mapping), new CompletedMutation(2, null), new CompletedMutation(3, null)], [rebased], []);

        StoreState state = store.Load();
        Mutations.AssertSame(rebased, Assert.Single(state.Pending));
        Assert.Equal([mapping], state.Mappings);
    }

    [Fact]
    public void AddMapping_SameOptimisticKeyTwice_KeepsTheFirst()
    {
        // S3: the push answer and the feed event carry the same mapping; the second is a no-op.
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        store.AddMapping(new IdMapping("todos", "optimistic_000001", "srv-1"));

        store.Complete(1, new IdMapping("todos", "optimistic_000001", "srv-1"));
        store.AddMapping(new IdMapping("todos", "optimistic_000001", "srv-other"));

        Assert.Equal([new IdMapping("todos", "optimistic_000001", "srv-1")], store.Load().Mappings);
    }

    [Fact]
    public void AddMapping_SameOptimisticKeyInTwoResources_KeepsBoth()
    {
        // S13: mappings are per resource.
        IMutationStore store = CreateStore();
        var todo = new IdMapping("todos", "-1", "10");
        var category = new IdMapping("categories", "-1", "20");

        store.AddMapping(todo);
        store.AddMapping(category);

        Assert.Equal(
            [category, todo],
            store.Load().Mappings.OrderBy(m => m.Resource, StringComparer.Ordinal));
    }

    [Fact]
    public void NextOptimisticCounter_CountsFromOnePerResource()
    {
        IMutationStore store = CreateStore();

        long[] todos = [store.NextOptimisticCounter("todos"), store.NextOptimisticCounter("todos"), store.NextOptimisticCounter("todos")];
        long category = store.NextOptimisticCounter("categories");

        Assert.Equal([1L, 2L, 3L], todos);
        Assert.Equal(1, category);
    }

    [Fact]
    public void Clear_KeepsTheIdMapTheCountersAndTheLastSequence()
    {
        // ClearAsync (DESIGN §5) discards the queue and keeps the ID map: mappings stay true.
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Create(2));
        store.AddMapping(new IdMapping("todos", "optimistic_x", "srv-x"));
        store.NextOptimisticCounter("todos");

        store.Clear();

        StoreState state = store.Load();
        Assert.Empty(state.Pending);
        Assert.Equal([new IdMapping("todos", "optimistic_x", "srv-x")], state.Mappings);
        Assert.Equal(2, state.LastSequence);
        Assert.Equal(2, store.NextOptimisticCounter("todos"));
    }

    [Fact]
    public void Load_ReturnsASnapshot_LaterWritesDoNotChangeIt()
    {
        IMutationStore store = CreateStore();
        store.Append(Mutations.Create(1));
        StoreState before = store.Load();

        store.Append(Mutations.Create(2));
        store.Remove([1]);

        Assert.Equal([1L], before.Pending.Select(m => m.Sequence));
    }

    protected IMutationStore CreateStore()
    {
        IMutationStore store = CreateStoreCore();
        _stores.Add(store);
        return store;
    }
}

public sealed class InMemoryMutationStoreContractTests : MutationStoreContractTests
{
    protected override IMutationStore CreateStoreCore() => new InMemoryMutationStore();
}

public sealed class SqliteFullMutationStoreContractTests : MutationStoreContractTests
{
    private readonly TempFolder _folder = new();

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }

    protected override IMutationStore CreateStoreCore() => SqliteMutationStore.Open(_folder.File($"{Guid.NewGuid():N}.db"));
}

public sealed class SqliteBatchedMutationStoreContractTests : MutationStoreContractTests
{
    private readonly TempFolder _folder = new();

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }

    protected override IMutationStore CreateStoreCore() => SqliteMutationStore.Open(
        _folder.File($"{Guid.NewGuid():N}.db"),
        new SqliteMutationStoreOptions { Durability = Durability.Batched });

    [Fact]
    public void Append_FailsInsideAnOpenBatch_TheBatchKeepsItsOtherWritesOnDisk()
    {
        // S4: an append is a single statement without a savepoint of its own; its failure must not cost the batch.
        string path = _folder.File("batch.db");
        var options = new SqliteMutationStoreOptions { Durability = Durability.Batched, BatchWindow = SqliteMutationStoreOptions.MaxBatchWindow };
        StoredMutation first = Mutations.Create(1);
        StoredMutation second = Mutations.Create(2);
        StoredMutation third = Mutations.Create(3);
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, options))
        {
            store.Append(first); // commits at once: it reserves sequences ahead
            store.Append(second);
            Assert.Throws<SyncStoreException>(() => store.Append(Mutations.Update(2, "other")));
            store.Append(third);
            Assert.Equal(2, store.PendingWrites);
        }

        using SqliteMutationStore reopened = SqliteMutationStore.Open(path, options);
        Mutations.AssertSame([first, second, third], reopened.Load().Pending);
    }
}
