using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>
/// Issue 11: a row's origin optimistic key confirms a create only when it is this client's row and the create is
/// one of its own open creates of exactly that key (S3). Another client's row never does, whatever its origin says:
/// numeric optimistic keys of two clients are equal, and a server (or anything between) may say anything.
/// </summary>
public sealed class OriginScopingTests
{
    private const string Mine = "optimistic_01HZX0000000000000000000M1";

    [Theory]
    [InlineData("another-client")]
    [InlineData(null)] // a server that does not scope origins to their client
    public void FeedRowWithTheSameOriginFromAnotherClient_NeitherConfirmsNorHidesTheCreate(string? otherClient)
    {
        // S3, S18: before, B's item vanished under A's row and B's next update went to A's row.
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.AddCreate(1, Todo(Mine, "B's item"));

        view.ApplyEvent(Event(ChangeKind.Added, 1, Todo("a-1", "A's item", "1"), origin: Mine, originClientId: otherClient));
        view.ApplyEvent(Event(ChangeKind.Changed, 2, Todo("a-1", "A's item, edited", "2"), origin: Mine, originClientId: otherClient));

        Assert.Empty(learned);
        Assert.True(view.TryGet(Mine, out ViewTodo? mine));
        Assert.Equal((Mine, "B's item"), (mine.Id, mine.Title));
        Assert.Equal(["a-1", Mine], view.Items.Keys());
    }

    [Theory]
    [InlineData("another-client")]
    [InlineData(null)]
    public void ListRowWithTheSameOriginFromAnotherClient_NeitherConfirmsNorHidesTheCreate(string? otherClient)
    {
        // S3, S19: the list path obeys the same rule as the feed.
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.AddCreate(1, Todo(Mine, "B's item"));

        view.ReplaceServerRows([Listed(Todo("a-1", "A's item", "1"), origin: Mine, originClientId: otherClient)]);

        Assert.Empty(learned);
        Assert.True(view.TryGet(Mine, out ViewTodo? mine));
        Assert.Equal(Mine, mine.Id);
        Assert.Equal(["a-1", Mine], view.Items.Keys());
    }

    [Fact]
    public void OwnRowWithTheOrigin_ConfirmsTheCreate()
    {
        // S3: the close case of the tests above: this client's row confirms its create, from the feed as from the list.
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.AddCreate(1, Todo(Mine, "B's item"));

        view.ApplyEvent(Event(ChangeKind.Added, 1, Todo("b-1", "B's item", "1"), origin: Mine, originClientId: ClientId));

        Assert.Equal([new IdMapping(ViewTodo.ResourceName, Mine, "b-1")], learned);
        Assert.Equal(["b-1"], view.Items.Keys());
        Assert.True(view.TryGet(Mine, out ViewTodo? mine) && mine.Id == "b-1");
    }

    [Fact]
    public void OwnRowWhoseOriginIsTheKeyOfAnEditNotACreate_MapsNothing()
    {
        // S3: only an open create of exactly that key is confirmed; an edit of a row keyed so is not a create.
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("kept-key", "server row", "1")));
        view.AddUpdate(1, "kept-key", Title("edited"));

        view.ApplyEvent(Event(ChangeKind.Added, 2, Todo("s-9", "another row", "1"), origin: "kept-key", originClientId: ClientId));

        Assert.Empty(learned);
        Assert.True(view.TryGet("kept-key", out ViewTodo? edited) && edited.Title == "edited");
        Assert.Equal(["kept-key", "s-9"], view.Items.Keys());
    }

    [Fact]
    public void OwnRowWithAKeyTheProtocolCannotCarry_IsNotTakenAsTheMapping()
    {
        // Issue 11 (hostile server): a key with a space can reach neither the ID map nor the view's aliases.
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.AddCreate(1, Todo(Mine, "mine"));

        view.ApplyEvent(Event(ChangeKind.Added, 1, Todo("bad key", "mine", "1"), origin: Mine, originClientId: ClientId));

        Assert.Empty(learned);
        Assert.True(view.TryGet(Mine, out ViewTodo? mine) && mine.Id == Mine);
    }
}
