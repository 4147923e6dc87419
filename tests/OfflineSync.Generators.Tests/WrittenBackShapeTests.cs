using System.Collections.Immutable;
using OfflineSync.Generators.Tests.Infrastructure;
using OfflineSync.Generators.Tests.ShapeModels;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// Read-only key collections of records and private setters: written back through generated accessors,
/// replaced only when a key changes, and free of allocations otherwise.
/// </summary>
public sealed class WrittenBackShapeTests
{
    private const string OptimisticUser = "optimistic_01HZZZZZZZZZZZZZZZZZZZZZZZ";

    private static readonly Guid s_optimisticProject = Guid.Parse("0190f3c4-0000-7000-8000-000000000001");
    private static readonly Guid s_serverProject = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    // S12: each read-only collection gets a new collection holding the server keys; the old one is untouched.
    [Fact]
    public void Visit_ReadOnlyKeyCollectionsOfARecord_AreReplacedWithTheRemappedKeys()
    {
        string[] curators = [OptimisticUser, "user-2"];
        var projects = new HashSet<Guid> { s_optimisticProject };
        var playlist = new Playlist
        {
            CuratorIds = curators,
            BoardIds = [-2, 5],
            ProjectIds = projects,
            MilestoneIds = new List<long> { -7 },
        };
        var visitor = new RemapVisitor(new()
        {
            [("users", OptimisticUser)] = "user-1",
            [("boards", "-2")] = "42",
            [("projects", SyncKeys.Format(s_optimisticProject))] = SyncKeys.Format(s_serverProject),
            [("milestones", "-7")] = "70",
        });

        Playlist.VisitReferences(playlist, ref visitor);

        Assert.Equal(["user-1", "user-2"], playlist.CuratorIds);
        Assert.Equal([42, 5], playlist.BoardIds.ToArray());
        Assert.Equal([s_serverProject], playlist.ProjectIds);
        Assert.Equal([70L], playlist.MilestoneIds!);
        Assert.Equal([OptimisticUser, "user-2"], curators);
        Assert.Equal([s_optimisticProject], projects);
        Assert.Equal(4, visitor.Changed);
    }

    // S14: collections without a mapped key keep their instances.
    [Fact]
    public void Visit_ReadOnlyKeyCollectionsWithoutMappedKeys_KeepTheirInstances()
    {
        IReadOnlyList<string> curators = ["user-2"];
        ImmutableArray<int> boards = [5];
        var playlist = new Playlist { CuratorIds = curators, BoardIds = boards };
        var visitor = new RemapVisitor(new() { [("users", OptimisticUser)] = "user-1" });

        Playlist.VisitReferences(playlist, ref visitor);

        Assert.Same(curators, playlist.CuratorIds);
        Assert.True(boards == playlist.BoardIds);
        Assert.Null(playlist.MilestoneIds);
        Assert.Equal(0, visitor.Changed);
    }

    // S2, S12: a private-set key is set from the server key; private-set foreign keys are remapped, nested ones too.
    [Fact]
    public void KeyAndVisit_PrivateSetters_AreWrittenThroughTheGeneratedAccessors()
    {
        var ledger = new Ledger(-1, OptimisticUser, [OptimisticUser, "tag-1"]);
        ledger.Entry.Approve(OptimisticUser);
        var visitor = new RemapVisitor(new()
        {
            [("users", OptimisticUser)] = "user-1",
            [("tags", OptimisticUser)] = "tag-9",
        });

        Ledger.SetKey(ledger, "17");
        Ledger.VisitReferences(ledger, ref visitor);

        Assert.Equal(17, ledger.Id);
        Assert.Equal("user-1", ledger.OwnerId);
        Assert.Equal(["tag-9", "tag-1"], ledger.TagIds);
        Assert.Equal("user-1", ledger.Entry.ApprovedById);
    }

    [Fact]
    public void Visit_ReadOnlyCollectionsAndPrivateSetters_NothingRemapped_AllocatesZeroBytes()
    {
        var playlist = new Playlist
        {
            CuratorIds = ["user-1", "user-2"],
            BoardIds = [1, 2, 3],
            ProjectIds = new List<Guid> { s_serverProject },
            MilestoneIds = [4L],
        };
        var ledger = new Ledger(3, "user-1", ["tag-1"]);
        var maps = new Dictionary<string, Dictionary<string, string>> { ["users"] = new() { ["optimistic_a"] = "user-9" } };
        var visitor = new StringMapVisitor(maps);
        for (int i = 0; i < 100; i++)
        {
            Playlist.VisitReferences(playlist, ref visitor); // warm-up: JIT, tiering, static constructors
            Ledger.VisitReferences(ledger, ref visitor);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Playlist.VisitReferences(playlist, ref visitor);
            Ledger.VisitReferences(ledger, ref visitor);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(visitor.Visited > 0);
    }
}
