using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;
using Category = OfflineSync.Tests.Model.Category;
using Tag = OfflineSync.Tests.Model.Tag;

namespace OfflineSync.Tests.View;

/// <summary>Merging changed events and rewriting references through confirmed mappings.</summary>
public class LocalViewMergeAndMappingTests
{
    private const string OptimisticCategory = "optimistic_01HZX0000000000000000000C1";
    private const string OptimisticTag = "optimistic_01HZX0000000000000000000T1";

    [Fact]
    public void Changed_MergesIntoTheCachedRow_KeepingPropertiesTheEventLacks()
    {
        // S15: a changed event may carry only some properties.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, new ViewTodo { Id = "a", Title = "A", Completed = true, TagIds = ["t1"], Version = "1" }));

        view.ApplyEvent(Changed(2, "a", "2", """{"title":"B"}"""));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal(("B", true, "2"), (shown.Title, shown.Completed, shown.Version));
        Assert.Equal(["t1"], shown.TagIds);
    }

    [Fact]
    public void Changed_ReferenceChangedWithoutNavigation_ClearsTheLoadedNavigation()
    {
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, new ViewTodo { Id = "a", CategoryId = "c1", Category = new Category { Id = "c1", Name = "Work" } }));

        view.ApplyEvent(Changed(2, "a", "2", """{"categoryId":"c2"}"""));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal("c2", shown.CategoryId);
        Assert.Null(shown.Category);
    }

    [Fact]
    public void Changed_ReferenceChangedWithNavigation_TakesTheEventsNavigation()
    {
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, new ViewTodo { Id = "a", CategoryId = "c1", Category = new Category { Id = "c1", Name = "Work" } }));

        view.ApplyEvent(Changed(2, "a", "2", """{"categoryId":"c2","category":{"id":"c2","name":"Home"}}"""));

        Assert.Equal("Home", Assert.Single(view.Items).Category?.Name);
    }

    [Fact]
    public void Changed_ReferenceUnchanged_KeepsTheLoadedNavigation()
    {
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, new ViewTodo { Id = "a", CategoryId = "c1", Category = new Category { Id = "c1", Name = "Work" } }));

        view.ApplyEvent(Changed(2, "a", "2", """{"categoryId":"c1","title":"x"}"""));

        Assert.Equal("Work", Assert.Single(view.Items).Category?.Name);
    }

    [Theory]
    [InlineData("categoryId", "category")]
    [InlineData("tagIds", "tags")]
    [InlineData("AuthorId", "Author")]
    [InlineData("title", null)]
    [InlineData("Id", null)]
    public void NavigationOf_FollowsTheNamingConvention(string reference, string? navigation) =>
        Assert.Equal(navigation, ChangeMerger.NavigationOf(reference));

    [Fact]
    public void ApplyMapping_RewritesReferencesToTheMappedResource_InPendingCreatesAndPatches()
    {
        // S3, S12, S13: a todo created and edited against an optimistic category and tag shows the server keys
        // once mapped; the category's key in the tag list is another resource's and stays.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, new ViewTodo { Id = "optimistic_todo", CategoryId = OptimisticCategory, TagIds = ["x", OptimisticTag, OptimisticCategory] });
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("b", "B", "1")));
        view.AddUpdate(2, "b", new ViewTodoPatch { CategoryId = OptimisticCategory });
        IReadOnlyList<ViewTodo> before = view.Items;

        view.ApplyMapping(new IdMapping(Category.ResourceName, OptimisticCategory, "cat-1"));
        view.ApplyMapping(new IdMapping(Tag.ResourceName, OptimisticTag, "tag-1"));

        Assert.True(view.TryGet("optimistic_todo", out ViewTodo? created));
        Assert.Equal("cat-1", created.CategoryId);
        Assert.Equal(["x", "tag-1", OptimisticCategory], created.TagIds);
        Assert.True(view.TryGet("b", out ViewTodo? edited));
        Assert.Equal("cat-1", edited.CategoryId);

        // The snapshot handed out earlier was not changed in place.
        Assert.Equal(OptimisticCategory, before.Single(t => t.Id == "optimistic_todo").CategoryId);
    }

    [Fact]
    public void ChangesQueuedAfterAMapping_AreRewrittenOnArrival()
    {
        // S3: the app may still hold the optimistic key after the category was confirmed.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyMapping(new IdMapping(Category.ResourceName, OptimisticCategory, "cat-1"));

        view.AddCreate(1, new ViewTodo { Id = "optimistic_todo", CategoryId = OptimisticCategory });

        Assert.Equal("cat-1", Assert.Single(view.Items).CategoryId);
    }

    [Fact]
    public void ApplyMapping_OfAnotherResource_LeavesSameLookingKeysAndNonReferenceStringsAlone()
    {
        // S13, S14: a mapping of todos does not touch category references; titles are never references.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, new ViewTodo { Id = "optimistic_todo", Title = OptimisticCategory, CategoryId = OptimisticCategory });

        view.ApplyMapping(new IdMapping(ViewTodo.ResourceName, OptimisticCategory, "todo-9"));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal((OptimisticCategory, OptimisticCategory), (shown.Title, shown.CategoryId));
    }

    [Fact]
    public void ApplyMapping_OfTheViewsOwnResource_ReKeysPendingChanges()
    {
        // S3: a mapping learned by another path (the store at startup, another view) re-keys this view's entries.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, Todo("optimistic_t", "T"));
        view.AddUpdate(2, "optimistic_t", Title("T2"));

        view.ApplyMapping(new IdMapping(ViewTodo.ResourceName, "optimistic_t", "t-1"));
        view.ApplyEvent(Event(ChangeKind.Added, 3, Todo("t-1", "T", "1")));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal(("t-1", "T2"), (shown.Id, shown.Title));
    }
}
