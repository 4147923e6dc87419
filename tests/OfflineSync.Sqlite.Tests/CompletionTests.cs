namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S3: <see cref="SqliteMutationStore.Complete(long, IdMapping?)"/> stores the mapping and removes the confirmed create
/// in one transaction — after a reopen, both or neither; a push's whole answer likewise
/// (<see cref="SqliteMutationStore.Complete(IReadOnlyList{CompletedMutation}, IReadOnlyList{StoredMutation}, IReadOnlyList{FeedCheckpointWrite})"/>).
/// </summary>
public sealed class CompletionTests : IDisposable
{
    // Makes the mapping's insert fail inside Complete, after the removal already ran in the same transaction.
    private const string FailMappings = "CREATE TRIGGER fail_mappings BEFORE INSERT ON id_map BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END";

    private static readonly IdMapping Mapping = new("todos", "optimistic_000001", "srv-1");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(Durability.Full)]
    [InlineData(Durability.Batched)]
    public void Complete_Returned_AfterReopenTheCreateIsGoneAndTheMappingStored(Durability durability)
    {
        // S3: both.
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = durability }))
        {
            store.Append(Mutations.Create(1));
            store.Append(Mutations.Update(2, "optimistic_000001"));

            store.Complete(1, Mapping);
        }

        using SqliteMutationStore reopened = SqliteMutationStore.Open(path);
        StoreState state = reopened.Load();
        Assert.Equal([2L], state.Pending.Select(static m => m.Sequence));
        Assert.Equal([Mapping], state.Mappings);
    }

    [Theory]
    [InlineData(Durability.Full)]
    [InlineData(Durability.Batched)]
    public void Complete_MappingWriteFails_AfterReopenTheCreateIsStillQueuedAndNoMappingStored(Durability durability)
    {
        // S3: neither — the removal that ran first is undone with the failed mapping, and nothing else is.
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = durability, BatchWindow = SqliteMutationStoreOptions.MaxBatchWindow }))
        {
            store.Append(Mutations.Create(1));
            store.Flush();
            StoreFiles.Execute(path, FailMappings);
            store.Append(Mutations.Create(2)); // In the same batch as the failing completion (Batched).

            SyncStoreException failed = Assert.Throws<SyncStoreException>(() => store.Complete(1, Mapping));

            Assert.Contains("could not complete a mutation", failed.Message, StringComparison.Ordinal);
            Assert.Contains("nothing of this call was stored", failed.Message, StringComparison.Ordinal);
            Assert.Equal([1L, 2L], store.Load().Pending.Select(static m => m.Sequence));
        }

        using SqliteMutationStore reopened = SqliteMutationStore.Open(path);
        StoreState state = reopened.Load();
        Assert.Equal([1L, 2L], state.Pending.Select(static m => m.Sequence));
        Assert.Empty(state.Mappings);
    }

    [Theory]
    [InlineData(Durability.Full)]
    [InlineData(Durability.Batched)]
    public void CompleteAnswer_ItsSecondMappingFails_AfterReopenNothingOfTheAnswerIsStored(Durability durability)
    {
        // S3, S4: the first create's removal and mapping, the update's removal and the kept row ran in the same transaction: all undone.
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = durability, BatchWindow = SqliteMutationStoreOptions.MaxBatchWindow }))
        {
            store.Append(Mutations.Create(1));
            store.Append(Mutations.Update(2, "optimistic_000001"));
            store.Append(Mutations.Create(3));
            store.Append(Mutations.Delete(4, "optimistic_000003"));
            store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = "c", Reset = true, Sequence = 9 });
            store.Flush();
            StoreFiles.Execute(path, "CREATE TRIGGER fail_second BEFORE INSERT ON id_map WHEN NEW.server_key = 'srv-3' BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END");

            SyncStoreException failed = Assert.Throws<SyncStoreException>(() => store.Complete(
                [new CompletedMutation(1, Mapping), new CompletedMutation(2, null), new CompletedMutation(3, new IdMapping("todos", "optimistic_000003", "srv-3"))],
                [Mutations.Delete(4, "optimistic_000003") with { BaseVersion = "\"v1\"" }],
                [new FeedCheckpointWrite { Resource = "todos", Contract = "c", Rows = [new ListItem("srv-1", "optimistic_000001", "v1", "{}"u8.ToArray())], Sequence = 9 }]));

            Assert.Contains("nothing of this call was stored", failed.Message, StringComparison.Ordinal);
            Assert.Equal([1L, 2L, 3L, 4L], store.Load().Pending.Select(static m => m.Sequence));
        }

        using SqliteMutationStore reopened = SqliteMutationStore.Open(path);
        StoreState state = reopened.Load();
        Assert.Equal([1L, 2L, 3L, 4L], state.Pending.Select(static m => m.Sequence));
        Assert.Null(state.Pending[^1].BaseVersion);
        Assert.Empty(state.Mappings);
        Assert.Empty(reopened.LoadFeedCheckpoint("todos")!.Rows);
    }
}
