using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// One clock (S4, S9): the batch window of <see cref="Durability.Batched"/> and the schema history run on
/// <see cref="SqliteMutationStoreOptions.TimeProvider"/>, so a fake clock decides when a batch commits —
/// and the syncer makes every committed batch durable: the main file alone holds it afterwards.
/// </summary>
/// <remarks>
/// "The main file alone" is a copy of the store without its <c>-wal</c>: what survives when only what was
/// synced and checkpointed survives. "Seen" is what another connection reads, as the next process would.
/// </remarks>
public sealed class BatchClockTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Batched_OpenBatch_CommitsWhenTheStoresClockPassesTheWindow()
    {
        // S4: the window is measured on the store's clock, not the system's.
        string path = _folder.File();
        using SqliteMutationStore store = Open(path);
        store.Append(Mutations.Create(1)); // Reserves sequences ahead: committed and synced at once.
        store.Append(Mutations.Create(2));

        _time.Advance(Window - TimeSpan.FromTicks(1));

        Assert.Equal(1, store.PendingWrites);
        Assert.Equal("1", StoreFiles.Scalar(path, "SELECT group_concat(seq) FROM mutations"));

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(0, store.PendingWrites);
        Assert.Equal("1,2", StoreFiles.Scalar(path, "SELECT group_concat(seq) FROM mutations"));
    }

    [Fact]
    public void Batched_BatchCommittedByTheTimer_IsSyncedIntoTheMainFile()
    {
        // S4: a committed batch does not stay in the WAL (the operating system's cache) only.
        string path = _folder.File();
        using SqliteMutationStore store = Open(path);
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Create(2));
        Assert.Equal("1", MainFileOnly(path, "SELECT group_concat(seq) FROM mutations"));

        _time.Advance(Window);

        Assert.Equal("1,2", MainFileOnly(path, "SELECT group_concat(seq) FROM mutations"));
    }

    [Fact]
    public void Batched_Flush_CommitsAndSyncsWithoutWaitingForTheWindow()
    {
        // S4
        string path = _folder.File();
        using SqliteMutationStore store = Open(path);
        store.Append(Mutations.Create(1));
        store.Append(Mutations.Create(2));
        store.Complete(1, new IdMapping("todos", "optimistic_000001", "srv-1"));

        store.Flush();

        Assert.Equal(0, store.PendingWrites);
        Assert.Equal("2", MainFileOnly(path, "SELECT group_concat(seq) FROM mutations"));
        Assert.Equal("srv-1", MainFileOnly(path, "SELECT server_key FROM id_map"));
    }

    [Fact]
    public void Open_NewFile_RecordsTheMigrationsAtTheStoresClock()
    {
        string path = _folder.File();

        using (Open(path))
        {
        }

        string expected = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal(expected, StoreFiles.Scalar(path, "SELECT group_concat(DISTINCT applied_at) FROM schema_version"));
    }

    [Fact]
    public void Open_WithoutAClock_IsRefusedBeforeTheFileIsCreated()
    {
        string path = _folder.File();

        Assert.Throws<ArgumentNullException>(() => SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { TimeProvider = null! }));

        Assert.False(File.Exists(path));
    }

    private SqliteMutationStore Open(string path) =>
        SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = Durability.Batched, BatchWindow = Window, TimeProvider = _time });

    private string? MainFileOnly(string path, string sql)
    {
        string image = _folder.File($"main-only-{Guid.NewGuid():N}.db");
        File.Copy(path, image);
        return StoreFiles.Scalar(image, sql) as string;
    }
}
