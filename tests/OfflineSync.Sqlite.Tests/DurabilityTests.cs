namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// When writes reach the file (S4): <see cref="Durability.Full"/> before the call returns;
/// <see cref="Durability.Batched"/> within the window, on <see cref="SqliteMutationStore.Flush"/> and
/// on <see cref="SqliteMutationStore.Dispose"/> — and a crash loses exactly what the store's XML doc says.
/// </summary>
/// <remarks>"Seen" means seen by a separate connection to the file, the way the next process would see it.</remarks>
public sealed class DurabilityTests : IDisposable
{
    private static readonly SqliteMutationStoreOptions Full = new() { Durability = Durability.Full };

    // The longest window: nothing commits by itself while a test looks.
    private static readonly SqliteMutationStoreOptions BatchedLong = new() { Durability = Durability.Batched, BatchWindow = SqliteMutationStoreOptions.MaxBatchWindow };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Full_EveryWriteReturned_IsSeenByAnotherConnection()
    {
        string path = _folder.File();
        using SqliteMutationStore store = SqliteMutationStore.Open(path, Full);

        store.Append(Mutations.Create(1));
        Assert.Equal(1L, StoreFiles.Scalar(path, "SELECT count(*) FROM mutations WHERE seq = 1"));
        Assert.Equal(1L, StoreFiles.Scalar(path, "SELECT last_sequence FROM client_meta"));

        store.Update(Mutations.Create(1) with { Attempts = 4 });
        Assert.Equal(4L, StoreFiles.Scalar(path, "SELECT attempts FROM mutations WHERE seq = 1"));

        Assert.Equal(1, store.NextOptimisticCounter("projects"));
        Assert.Equal(1L, StoreFiles.Scalar(path, "SELECT value FROM optimistic_counters WHERE resource = 'projects'"));

        store.Complete(1, new IdMapping("todos", "optimistic_000001", "srv-1"));
        Assert.Equal(0L, StoreFiles.Scalar(path, "SELECT count(*) FROM mutations"));
        Assert.Equal("srv-1", StoreFiles.Scalar(path, "SELECT server_key FROM id_map WHERE optimistic_key = 'optimistic_000001'"));
        Assert.Equal(0, store.PendingWrites);
    }

    [Fact]
    public void Batched_WritesInTheOpenBatch_AreSeenAfterFlush()
    {
        string path = _folder.File();
        using SqliteMutationStore store = SqliteMutationStore.Open(path, BatchedLong);
        store.Append(Mutations.Create(1)); // The first append reserves sequences and commits at once.

        store.Append(Mutations.Create(2));
        store.Complete(1, new IdMapping("todos", "optimistic_000001", "srv-1"));

        Assert.Equal(2, store.PendingWrites);
        Assert.Equal("1", StoreFiles.Scalar(path, "SELECT group_concat(seq) FROM mutations"));
        Assert.Equal(0L, StoreFiles.Scalar(path, "SELECT count(*) FROM id_map"));

        store.Flush();

        Assert.Equal(0, store.PendingWrites);
        Assert.Equal("2", StoreFiles.Scalar(path, "SELECT group_concat(seq) FROM mutations"));
        Assert.Equal(1L, StoreFiles.Scalar(path, "SELECT count(*) FROM id_map"));
    }

    [Fact]
    public async Task Batched_OpenBatch_CommitsByItselfOnceTheWindowHasPassed()
    {
        string path = _folder.File();
        using SqliteMutationStore store = SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = Durability.Batched, BatchWindow = TimeSpan.FromMilliseconds(20) });
        store.Append(Mutations.Create(1));

        store.Append(Mutations.Create(2)); // No write follows: the batch timer must commit it.

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((long)StoreFiles.Scalar(path, "SELECT count(*) FROM mutations")! < 2)
        {
            await Task.Delay(5, timeout.Token);
        }

        Assert.Equal(0, store.PendingWrites);
    }

    [Fact]
    public void Batched_Dispose_CommitsTheOpenBatchWithExactSequenceAndCounters()
    {
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path, BatchedLong))
        {
            store.Append(Mutations.Create(1));
            store.Append(Mutations.Create(2));
            Assert.Equal(1, store.NextOptimisticCounter("projects"));
            Assert.Equal(2, store.NextOptimisticCounter("projects"));
        }

        using SqliteMutationStore reopened = SqliteMutationStore.Open(path, BatchedLong);
        StoreState state = reopened.Load();
        Assert.Equal([1L, 2L], state.Pending.Select(static m => m.Sequence));
        Assert.Equal(2, state.LastSequence); // The reservation ahead was given back: no gap after a clean close.
        Assert.Equal(3, reopened.NextOptimisticCounter("projects"));
    }

    [Fact]
    public void Batched_CrashWithAnOpenBatch_LosesThatBatchWholeAndNeverReusesSequencesOrCounters()
    {
        // What the XML doc of SqliteMutationStore promises for Batched: a crash loses the writes since the
        // last commit, as a whole (a completion's removal and mapping are never split, S3), and sequence
        // numbers and counters are reserved ahead, so a crash leaves a gap, never a repeat.
        string path = _folder.File();
        string image = _folder.File("after-crash.db");
        var mapping = new IdMapping("todos", "optimistic_000001", "srv-1");
        using SqliteMutationStore store = SqliteMutationStore.Open(path, BatchedLong);
        store.Append(Mutations.Create(1));
        Assert.Equal(1, store.NextOptimisticCounter("projects"));
        store.Flush();

        store.Append(Mutations.Create(2));
        store.Complete(1, mapping);
        store.Update(Mutations.Create(2) with { Attempts = 1 });
        Assert.Equal(2, store.NextOptimisticCounter("projects"));
        Assert.Equal(3, store.PendingWrites);

        // The files as a SIGKILL would leave them now: SQLite recovers the last commit from the -wal.
        File.Copy(path, image);
        File.Copy(path + "-wal", image + "-wal");
        Assert.Equal(3, store.PendingWrites); // Still open while copied: the copy is of the crash moment.

        using (SqliteMutationStore crashed = SqliteMutationStore.Open(image, BatchedLong))
        {
            StoreState state = crashed.Load();
            Mutations.AssertSame([Mutations.Create(1)], state.Pending);
            Assert.Empty(state.Mappings);
            Assert.True(state.LastSequence >= 2, $"The last sequence went back to {state.LastSequence}; sequence 2 was handed out.");
            Assert.True(crashed.NextOptimisticCounter("projects") > 2, "An optimistic counter value was handed out twice.");
        }

        store.Dispose();
        using SqliteMutationStore reopened = SqliteMutationStore.Open(path, BatchedLong);
        StoreState clean = reopened.Load();
        Mutations.AssertSame([Mutations.Create(2) with { Attempts = 1 }], clean.Pending);
        Assert.Equal([mapping], clean.Mappings);
        Assert.Equal(2, clean.LastSequence);
        Assert.Equal(3, reopened.NextOptimisticCounter("projects"));
    }
}
