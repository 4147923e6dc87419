using System.Text;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// The feed checkpoint half of the <see cref="IMutationStore"/> contract (S15): what a store keeps of each resource's
/// server rows and feed position. Every store passes the same assertions; subclasses only say how to make one.
/// </summary>
public abstract class FeedCheckpointContractTests : IDisposable
{
    private const string Contract = "contract-1";
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
    public void NewStore_KeepsNoCheckpoint()
    {
        Assert.Null(CreateStore().LoadFeedCheckpoint("todos"));
    }

    [Fact]
    public void Write_ThenLoad_GivesTheRowsThePositionAndTheContract()
    {
        IMutationStore store = CreateStore();
        ListItem mine = Row("a", "1", origin: "optimistic_x", originClientId: "me");

        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [mine, Row("b", null)], Sequence = 7 });

        FeedCheckpoint checkpoint = store.LoadFeedCheckpoint("todos")!;
        Assert.Equal((7L, Contract), (checkpoint.Sequence, checkpoint.Contract));
        Assert.Equal(["a|1|optimistic_x|me|{\"id\":\"a\"}", "b||||{\"id\":\"b\"}"], Describe(checkpoint));
    }

    [Fact]
    public void LaterWrites_ReplaceAndRemoveRows_AndMoveThePosition()
    {
        IMutationStore store = CreateStore();
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [Row("a", "1"), Row("b", "1"), Row("c", "1")], Sequence = 3 });

        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, RemovedKeys = ["b", "unknown"], Rows = [Row("a", "2"), Row("d", "1")], Sequence = 6 });

        FeedCheckpoint checkpoint = store.LoadFeedCheckpoint("todos")!;
        Assert.Equal(6, checkpoint.Sequence);
        Assert.Equal(["a|2", "c|1", "d|1"], checkpoint.Rows.OrderBy(static r => r.Key, StringComparer.Ordinal).Select(static r => $"{r.Key}|{r.Version}"));
    }

    [Fact]
    public void ListWrittenInParts_HasNoPositionUntilTheLastPart()
    {
        // A crash between the parts leaves no checkpoint: the set lists again rather than trust a partial copy.
        IMutationStore store = CreateStore();
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [Row("old", "1")], Sequence = 2 });

        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [Row("a", "1")] });
        Assert.Null(store.LoadFeedCheckpoint("todos"));
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Rows = [Row("b", "1")], Sequence = 40 });

        FeedCheckpoint checkpoint = store.LoadFeedCheckpoint("todos")!;
        Assert.Equal(40, checkpoint.Sequence);
        Assert.Equal(["a", "b"], checkpoint.Rows.Select(static r => r.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resources_AreKeptApart_AndClearKeepsThem()
    {
        IMutationStore store = CreateStore();
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [Row("a", "1")], Sequence = 5 });
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "tags", Contract = "tags-contract", Reset = true, Rows = [Row("a", "9")], Sequence = 8 });
        store.Append(Mutations.Create(1));

        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "tags", Contract = "tags-contract", Reset = true, Sequence = 9 });
        store.Clear();

        Assert.Equal((5L, "1"), (store.LoadFeedCheckpoint("todos")!.Sequence, store.LoadFeedCheckpoint("todos")!.Rows.Single().Version));
        Assert.Equal((9L, 0), (store.LoadFeedCheckpoint("tags")!.Sequence, store.LoadFeedCheckpoint("tags")!.Rows.Count));
        Assert.Empty(store.Load().Pending);
    }

    [Fact]
    public void CompleteAnswer_AppliesTheKeptRowsItCarries_WithTheQueueChanges()
    {
        // S10, S15: the rows the client's own confirmed writes left are kept with the answer, at the position the store holds.
        IMutationStore store = CreateStore();
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [Row("a", "1"), Row("b", "1")], Sequence = 4 });
        store.Append(Mutations.Update(1, "a"));
        store.Append(Mutations.Delete(2, "b"));

        store.Complete(
            [new CompletedMutation(1, null), new CompletedMutation(2, null)],
            [],
            [new FeedCheckpointWrite { Resource = "todos", Contract = Contract, RemovedKeys = ["b"], Rows = [Row("a", "2")], Sequence = 4 }]);

        Assert.Empty(store.Load().Pending);
        FeedCheckpoint checkpoint = store.LoadFeedCheckpoint("todos")!;
        Assert.Equal((4L, "a|2"), (checkpoint.Sequence, $"{checkpoint.Rows.Single().Key}|{checkpoint.Rows.Single().Version}"));
    }

    [Fact]
    public void TheStoreKeepsItsOwnCopy_OfTheRowsItWasGiven()
    {
        IMutationStore store = CreateStore();
        byte[] data = Encoding.UTF8.GetBytes("""{"id":"a"}""");
        store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = Contract, Reset = true, Rows = [new ListItem("a", null, "1", data)], Sequence = 1 });

        data[2] = (byte)'X';

        Assert.Equal("""{"id":"a"}""", Encoding.UTF8.GetString(store.LoadFeedCheckpoint("todos")!.Rows.Single().Data.Span));
    }

    protected IMutationStore CreateStore()
    {
        IMutationStore store = CreateStoreCore();
        _stores.Add(store);
        return store;
    }

    protected static ListItem Row(string key, string? version, string? origin = null, string? originClientId = null) =>
        new(key, origin, version, Encoding.UTF8.GetBytes($$"""{"id":"{{key}}"}""")) { OriginClientId = originClientId };

    private static IEnumerable<string> Describe(FeedCheckpoint checkpoint) =>
        checkpoint.Rows.OrderBy(static r => r.Key, StringComparer.Ordinal)
            .Select(static r => $"{r.Key}|{r.Version}|{r.OriginOptimisticKey}|{r.OriginClientId}|{Encoding.UTF8.GetString(r.Data.Span)}");
}

public sealed class InMemoryFeedCheckpointContractTests : FeedCheckpointContractTests
{
    protected override IMutationStore CreateStoreCore() => new InMemoryMutationStore();
}

public sealed class SqliteFullFeedCheckpointContractTests : FeedCheckpointContractTests
{
    private readonly TempFolder _folder = new();

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Checkpoint_SurvivesAReopen()
    {
        // S15 across a restart: the rows and their position are on disk.
        string path = _folder.File("reopen.db");
        using (SqliteMutationStore store = SqliteMutationStore.Open(path))
        {
            store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = "c", Reset = true, Rows = [Row("a", "1"), Row("b", "2")], Sequence = 12 });
            store.WriteFeedCheckpoint(new FeedCheckpointWrite { Resource = "todos", Contract = "c", RemovedKeys = ["a"], Sequence = 13 });
        }

        using SqliteMutationStore reopened = SqliteMutationStore.Open(path);
        FeedCheckpoint checkpoint = reopened.LoadFeedCheckpoint("todos")!;
        Assert.Equal((13L, "c", "b"), (checkpoint.Sequence, checkpoint.Contract, checkpoint.Rows.Single().Key));
    }

    protected override IMutationStore CreateStoreCore() => SqliteMutationStore.Open(_folder.File($"{Guid.NewGuid():N}.db"));
}

public sealed class SqliteBatchedFeedCheckpointContractTests : FeedCheckpointContractTests
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
}
