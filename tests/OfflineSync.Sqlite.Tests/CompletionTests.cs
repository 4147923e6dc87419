namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S3: <see cref="SqliteMutationStore.Complete"/> stores the mapping and removes the confirmed create
/// in one transaction — after a reopen, both or neither.
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
}
