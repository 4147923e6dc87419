using OfflineSync.Generators.Tests.Infrastructure;
using OfflineSync.Generators.Tests.ShapeModels;

namespace OfflineSync.Generators.Tests;

/// <summary>The slot shapes of DESIGN §2 that the representative model leaves out, remapped on real objects.</summary>
public sealed class SlotShapeTests
{
    private const string OptimisticUser = "optimistic_01HZZZZZZZZZZZZZZZZZZZZZZZ";

    private static readonly Guid s_optimisticProject = Guid.Parse("0190f3c4-0000-7000-8000-000000000001");
    private static readonly Guid s_serverProject = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    // S12: nested objects in an IList<T> and a HashSet<T>, structs in a List<T>, T[] and IList<T>,
    // a record struct with init-only members, a struct inside a struct, and fields.
    [Fact]
    public void Visit_NestedCollectionsStructsRecordStructsAndFields_AreRemapped()
    {
        var inSet = new Step { DoneById = OptimisticUser };
        var sprint = new Sprint
        {
            OwnerField = OptimisticUser,
            StepField = new Step { DoneById = OptimisticUser },
            StepIList = [new Step { DoneById = OptimisticUser }, null!],
            StepSet = [inSet],
            SlotList = [new Slot { BoardId = -2 }, new Slot { BoardId = 5 }],
            SlotArray = [new Slot { BoardId = -2 }],
            SlotIList = new List<Slot> { new() { BoardId = -2 } },
            Stamp = new Stamp(OptimisticUser),
            Frame = new Frame { Inner = new Slot { BoardId = -2 }, ProjectId = s_optimisticProject },
        };
        var visitor = new RemapVisitor(new()
        {
            [("users", OptimisticUser)] = "user-1",
            [("boards", "-2")] = "42",
            [("projects", SyncKeys.Format(s_optimisticProject))] = SyncKeys.Format(s_serverProject),
        });

        Sprint.VisitReferences(sprint, ref visitor);

        Assert.Equal("user-1", sprint.OwnerField);
        Assert.Equal("user-1", sprint.StepField!.DoneById);
        Assert.Equal("user-1", sprint.StepIList[0].DoneById);
        Assert.Equal("user-1", inSet.DoneById);
        Assert.Equal([42, 5], sprint.SlotList.Select(static s => s.BoardId));
        Assert.Equal(42, sprint.SlotArray[0].BoardId);
        Assert.Equal(42, sprint.SlotIList[0].BoardId);
        Assert.Equal("user-1", sprint.Stamp.ById);
        Assert.Equal(42, sprint.Frame.Inner.BoardId);
        Assert.Equal(s_serverProject, sprint.Frame.ProjectId);
        Assert.Equal(10, visitor.Changed);
    }

    // S12: a set of records keeps finding its items after their keys are remapped (their hashes changed).
    [Fact]
    public void Visit_SetOfRecordsWithRemappedKeys_IsRefilledUnderTheNewHashes()
    {
        var sprint = new Sprint { PickSet = [new Pick { ById = OptimisticUser }, new Pick { ById = "user-2" }] };
        var visitor = new RemapVisitor(new() { [("users", OptimisticUser)] = "user-1" });

        Sprint.VisitReferences(sprint, ref visitor);

        Assert.Equal(2, sprint.PickSet.Count);
        Assert.Contains(new Pick { ById = "user-1" }, sprint.PickSet);
        Assert.Contains(new Pick { ById = "user-2" }, sprint.PickSet);
        Assert.DoesNotContain(new Pick { ById = OptimisticUser }, sprint.PickSet);
    }

    // S14: a struct whose keys are not in the map is neither changed nor written back.
    [Fact]
    public void Visit_StructSlotsWithUnmappedKeys_StayAsTheyAre()
    {
        var sprint = new Sprint
        {
            SlotList = [new Slot { BoardId = 5 }],
            Stamp = new Stamp("user-7"),
            Frame = new Frame { Inner = new Slot { BoardId = 6 } },
        };
        var visitor = new RemapVisitor(new() { [("boards", "-2")] = "42" });

        Sprint.VisitReferences(sprint, ref visitor);

        Assert.Equal(5, sprint.SlotList[0].BoardId);
        Assert.Equal("user-7", sprint.Stamp.ById);
        Assert.Equal(6, sprint.Frame.Inner.BoardId);
        Assert.Null(sprint.Frame.ProjectId);
        Assert.Equal(0, visitor.Changed);
        Assert.Contains(("users", "user-7"), visitor.Seen);
    }
}
