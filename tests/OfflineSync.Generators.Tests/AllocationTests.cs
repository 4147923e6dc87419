using OfflineSync.Generators.Tests.Infrastructure;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests;

/// <summary>The generated visitor allocates nothing when nothing is remapped (DESIGN §3).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Visit_ThreeScalarsTenKeyListAndNestedObject_NothingRemapped_AllocatesZeroBytes()
    {
        var todo = new Todo
        {
            CategoryId = "cat-1",
            OwnerId = "user-1",
            BoardId = 7,
            TagIds = Enumerable.Range(0, 10).Select(static i => "tag-" + i).ToList(),
            Assignee = new Assignment { UserId = "user-2", Collaborators = ["user-3"] },
        };
        var maps = new Dictionary<string, Dictionary<string, string>>
        {
            ["users"] = new() { ["optimistic_a"] = "user-9" },
            ["tags"] = new() { ["optimistic_b"] = "tag-9" },
        };
        var visitor = new StringMapVisitor(maps);
        for (int i = 0; i < 100; i++)
        {
            Todo.VisitReferences(todo, ref visitor); // warm-up: JIT, tiering, static constructors
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Todo.VisitReferences(todo, ref visitor);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(visitor.Visited > 0);
    }

    [Fact]
    public void Visit_RemappingStringKeysInPlace_AllocatesZeroBytes()
    {
        var todo = new Todo { OwnerId = "optimistic_a", TagIds = ["optimistic_b"], Assignee = new Assignment { UserId = "optimistic_a" } };
        var maps = new Dictionary<string, Dictionary<string, string>>
        {
            ["users"] = new() { ["optimistic_a"] = "user-9", ["user-9"] = "optimistic_a" },
            ["tags"] = new() { ["optimistic_b"] = "tag-9", ["tag-9"] = "optimistic_b" },
        };
        var visitor = new StringMapVisitor(maps);
        for (int i = 0; i < 100; i++)
        {
            Todo.VisitReferences(todo, ref visitor);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Todo.VisitReferences(todo, ref visitor); // the map flips each key back and forth: every visit writes
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal("optimistic_a", todo.OwnerId);
    }
}
