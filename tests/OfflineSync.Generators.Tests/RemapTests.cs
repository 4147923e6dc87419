using OfflineSync.Generators.Tests.Infrastructure;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests;

/// <summary>The generated visitors run against real objects: exact, cross-resource, recursive remapping.</summary>
public sealed class RemapTests
{
    private const string OptimisticUser = "optimistic_01HZZZZZZZZZZZZZZZZZZZZZZZ";
    private const string OptimisticTag = "optimistic_01HTAGTAGTAGTAGTAGTAGTAGTAG";

    // S13: a User mapping never touches a Tag slot holding the same string, and vice versa.
    [Fact]
    public void Visit_UserMapping_RewritesUserSlotsOnlyNeverTagSlotsWithTheSameString()
    {
        var todo = new Todo
        {
            OwnerId = OptimisticUser,
            TagIds = [OptimisticUser, "tag-1"],
            PinnedTagIds = [OptimisticUser],
            WatcherIds = [OptimisticUser, "user-2"],
        };
        var visitor = new RemapVisitor(new() { [("users", OptimisticUser)] = "user-1" });

        Todo.VisitReferences(todo, ref visitor);

        Assert.Equal("user-1", todo.OwnerId);
        Assert.Equal(["user-1", "user-2"], todo.WatcherIds);
        Assert.Equal([OptimisticUser, "tag-1"], todo.TagIds);
        Assert.Equal([OptimisticUser], todo.PinnedTagIds);
        Assert.Equal(2, visitor.Changed);
    }

    // S14: a key that looks optimistic but is not in the map stays; so do absent keys.
    [Fact]
    public void Visit_KeysAbsentFromTheMap_StayAsTheyAre()
    {
        var todo = new Todo { OwnerId = "optimistic_server_kept_this", CategoryId = "cat-9", TagIds = ["optimistic_x"] };
        var visitor = new RemapVisitor(new() { [("users", OptimisticUser)] = "user-1" });

        Todo.VisitReferences(todo, ref visitor);

        Assert.Equal("optimistic_server_kept_this", todo.OwnerId);
        Assert.Equal("cat-9", todo.CategoryId);
        Assert.Equal(["optimistic_x"], todo.TagIds);
        Assert.Equal(0, visitor.Changed);
    }

    // S14: only declared slots are visited; Title and the [SyncIgnore] note hold the same string and stay.
    [Fact]
    public void Visit_UndeclaredStringProperties_AreNeverVisited()
    {
        var todo = new Todo { Title = OptimisticUser, LocalNote = OptimisticUser, Label = new Label { Text = OptimisticUser } };
        var visitor = new RemapVisitor(new() { [("users", OptimisticUser)] = "user-1" });

        Todo.VisitReferences(todo, ref visitor);

        Assert.Equal(OptimisticUser, todo.Title);
        Assert.Equal(OptimisticUser, todo.LocalNote);
        Assert.Equal(OptimisticUser, todo.Label!.Text);
        Assert.DoesNotContain(visitor.Seen, static s => s.Key == OptimisticUser && s.Resource != "users");
    }

    // S12: every slot shape and key type, nested three levels deep, lists of nested objects, structs, records.
    [Fact]
    public void Visit_EverySlotShapeAndKeyType_IsRemappedAtEveryDepth()
    {
        Guid optimisticProject = Guid.Parse("0190f3c4-0000-7000-8000-000000000001");
        Guid serverProject = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        var todo = new Todo
        {
            CategoryId = "optimistic_cat",
            OwnerId = OptimisticUser,
            ProjectId = optimisticProject,
            MilestoneId = -1,
            BoardId = -2,
            TagIds = [OptimisticTag],
            WatcherIds = [OptimisticUser],
            LinkedProjectIds = new List<Guid> { optimisticProject },
            PinnedTagIds = [OptimisticTag, "tag-kept"],
            Assignee = new Assignment
            {
                UserId = OptimisticUser,
                Collaborators = [OptimisticUser],
                Review = new Review
                {
                    ReviewerId = OptimisticUser,
                    Details = new ReviewDetails { ApproverIds = [OptimisticUser, "user-7"], MilestoneId = -1 },
                },
            },
            Checklists = [new Checklist { Items = [new ChecklistItem { DoneById = OptimisticUser }, new ChecklistItem()] }],
            Pin = new GeoPin { BoardId = -2, Latitude = 1.5 },
            SecondPin = new GeoPin { BoardId = -2 },
            Replies = [new Reply { AuthorId = OptimisticUser, Replies = [new Reply { AuthorId = OptimisticUser }] }],
            Attachment = new Attachment(OptimisticUser) { TagId = OptimisticTag },
        };
        var visitor = new RemapVisitor(new()
        {
            [("categories", "optimistic_cat")] = "cat-1",
            [("users", OptimisticUser)] = "user-1",
            [("tags", OptimisticTag)] = "tag-1",
            [("projects", SyncKeys.Format(optimisticProject))] = SyncKeys.Format(serverProject),
            [("milestones", "-1")] = "41",
            [("boards", "-2")] = "42",
        });

        Todo.VisitReferences(todo, ref visitor);

        Assert.Equal("cat-1", todo.CategoryId);
        Assert.Equal("user-1", todo.OwnerId);
        Assert.Equal(serverProject, todo.ProjectId);
        Assert.Equal(41L, todo.MilestoneId);
        Assert.Equal(42, todo.BoardId);
        Assert.Equal(["tag-1"], todo.TagIds);
        Assert.Equal(["user-1"], todo.WatcherIds);
        Assert.Equal([serverProject], todo.LinkedProjectIds);
        Assert.Equal(new HashSet<string> { "tag-1", "tag-kept" }, todo.PinnedTagIds);
        Assert.Equal("user-1", todo.Assignee!.UserId);
        Assert.Equal(["user-1"], todo.Assignee.Collaborators);
        Assert.Equal("user-1", todo.Assignee.Review!.ReviewerId);
        Assert.Equal(["user-1", "user-7"], todo.Assignee.Review.Details.ApproverIds);
        Assert.Equal(41L, todo.Assignee.Review.Details.MilestoneId);
        Assert.Equal("user-1", todo.Checklists[0].Items[0].DoneById);
        Assert.Null(todo.Checklists[0].Items[1].DoneById);
        Assert.Equal(42, todo.Pin.BoardId);
        Assert.Equal(1.5, todo.Pin.Latitude);
        Assert.Equal(42, todo.SecondPin!.Value.BoardId);
        Assert.Equal("user-1", todo.Replies[0].AuthorId);
        Assert.Equal("user-1", todo.Replies[0].Replies[0].AuthorId);
        Assert.Equal("user-1", todo.Attachment!.UploadedById);
        Assert.Equal("tag-1", todo.Attachment.TagId);
    }

    // The init-only members of records are written through [UnsafeAccessor] setters: proves they bind at run time.
    [Fact]
    public void Visit_InitOnlyMembersOfARecordEntity_AreWrittenThroughTheGeneratedAccessors()
    {
        var note = new Note { Id = "n1", AuthorId = OptimisticUser, TagIds = [OptimisticTag], BoardId = -2 };
        var visitor = new RemapVisitor(new()
        {
            [("users", OptimisticUser)] = "user-1",
            [("tags", OptimisticTag)] = "tag-1",
            [("boards", "-2")] = "42",
        });

        Note.VisitReferences(note, ref visitor);
        Note.SetKey(note, "n2");

        Assert.Equal("user-1", note.AuthorId);
        Assert.Equal(["tag-1"], note.TagIds);
        Assert.Equal(42, note.BoardId);
        Assert.Equal("n2", note.Id);
    }

    [Fact]
    public void Visit_NullSlotsAndEmptyCollections_AreSkipped()
    {
        var todo = new Todo { CategoryId = null, OwnerId = null!, TagIds = null!, WatcherIds = null!, Assignee = null, Checklists = [null!] };
        var visitor = new RemapVisitor(new());

        Todo.VisitReferences(todo, ref visitor);

        Assert.DoesNotContain(visitor.Seen, static s => s.Resource is "users" or "categories" or "tags");
    }

    // OSYNC008: a tree of replies is followed to any reasonable depth...
    [Fact]
    public void Visit_ReplyTreeFiftyLevelsDeep_RemapsTheDeepestReply()
    {
        var root = new Reply { AuthorId = OptimisticUser };
        Reply leaf = root;
        for (int i = 0; i < 50; i++)
        {
            var child = new Reply { AuthorId = OptimisticUser };
            leaf.Replies.Add(child);
            leaf = child;
        }

        var todo = new Todo { Replies = [root] };
        var visitor = new RemapVisitor(new() { [("users", OptimisticUser)] = "user-1" });

        Todo.VisitReferences(todo, ref visitor);

        Assert.Equal("user-1", leaf.AuthorId);
    }

    // ...and a cyclic graph throws SyncModelException instead of overflowing the stack.
    [Fact]
    public void Visit_CyclicReplyGraph_ThrowsSyncModelException()
    {
        var reply = new Reply { AuthorId = "user-1" };
        reply.Replies.Add(reply);
        var todo = new Todo { Replies = [reply] };
        var visitor = new RemapVisitor(new());

        SyncModelException exception = Assert.Throws<SyncModelException>(() => Todo.VisitReferences(todo, ref visitor));
        Assert.Contains("Reply", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_VisitReferences_RemapsOnlySetFields()
    {
        var patch = new TodoPatch
        {
            OwnerId = OptimisticUser,
            Assignee = new Assignment { UserId = OptimisticUser },
            Pin = new GeoPin { BoardId = -2 },
        };
        var visitor = new RemapVisitor(new()
        {
            [("users", OptimisticUser)] = "user-1",
            [("boards", "-2")] = "42",
        });

        patch.VisitReferences(ref visitor);

        Assert.Equal("user-1", patch.OwnerId.Value);
        Assert.Equal("user-1", patch.Assignee.Value!.UserId);
        Assert.Equal(42, patch.Pin.Value.BoardId);
        Assert.False(patch.CategoryId.HasValue);
        Assert.False(patch.TagIds.HasValue);
        Assert.Equal(3, visitor.Seen.Count);
    }

    [Fact]
    public void EntityMembers_KeysVersionsAndResourceNames_FollowTheAttributes()
    {
        Assert.Equal("todos", Todo.ResourceName);
        Assert.Equal("categories", Category.ResourceName);
        Assert.Equal("users", User.ResourceName);
        Assert.Equal(SyncKeyKind.Guid, Project.KeyKind);
        Assert.Equal(SyncKeyKind.Int64, Milestone.KeyKind);
        Assert.Equal(SyncKeyKind.Int32, Board.KeyKind);

        var milestone = new Milestone();
        Milestone.SetKey(milestone, "-3");
        Assert.Equal(-3L, milestone.Number);
        Assert.Equal("-3", Milestone.GetKey(milestone));
        Assert.True(Milestone.IsOptimisticKey("-3"));
        Assert.False(Milestone.IsOptimisticKey("3"));
        Assert.True(Todo.IsOptimisticKey(OptimisticUser));

        var todo = new Todo();
        Todo.SetVersion(todo, "v7");
        Assert.Equal("v7", Todo.GetVersion(todo));
        Assert.Null(User.GetVersion(new User()));
        Assert.Same(SyncJson.GetTypeInfo<User>(), User.JsonTypeInfo); // no context lists User: reflection
    }
}
