using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>The overlay of pending changes over server rows, driven directly as the engine drives it.</summary>
public class LocalViewOverlayTests
{
    private const string Optimistic = "optimistic_01HZX0000000000000000000A1";

    [Fact]
    public void AddCreate_ShowsItemAtOnce()
    {
        // S1: visible before the call returns. The engine hands the view a copy of its own (see OptimisticUpdateTests).
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, Todo(Optimistic, "Ship"));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal("Ship", shown.Title);
        Assert.Equal(1, view.PendingCount);
    }

    [Fact]
    public void Confirm_CreateWithServerKey_ReKeysTheItem_AndFindsItByBothKeys()
    {
        // S3, S18: re-keyed, not duplicated; TryGet by the optimistic key still works.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, Todo(Optimistic, "Ship"));

        view.Confirm(1, "todo-1", "1", Json(Todo("todo-1", "Ship", "1")));

        Assert.Equal(["todo-1"], view.Items.Keys());
        Assert.True(view.TryGet(Optimistic, out ViewTodo? byOptimistic));
        Assert.Equal("todo-1", byOptimistic.Id);
        Assert.Equal("1", view.GetServerVersion(Optimistic));
        Assert.Equal(0, view.PendingCount);
    }

    [Fact]
    public void AddedWithOriginKey_BeforePushResult_ReplacesOptimisticItem_AndLearnsTheMappingOnce()
    {
        // S3, S18: the feed event arrives first; the push answer then changes nothing.
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.AddCreate(1, Todo(Optimistic, "Ship"));

        view.ApplyEvent(Event(ChangeKind.Added, 10, Todo("todo-1", "Ship", "1"), origin: Optimistic));
        Assert.Equal(["todo-1"], view.Items.Keys());
        Assert.Equal([new IdMapping(ViewTodo.ResourceName, Optimistic, "todo-1")], learned);

        view.ApplyMapping(learned[0]); // what the engine does next: a no-op here
        view.Confirm(1, "todo-1", "1", Json(Todo("todo-1", "Ship", "1")));

        Assert.Equal(["todo-1"], view.Items.Keys());
        Assert.Single(learned);
        Assert.True(view.TryGet(Optimistic, out _));
    }

    [Fact]
    public void PendingUpdateOnOptimisticItem_StaysOnTopOfTheServerRowThatReplacesIt()
    {
        // S17, S18: an update made before the create was confirmed is still shown over the server row.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, Todo(Optimistic, "Ship"));
        view.AddUpdate(2, Optimistic, new ViewTodoPatch { Completed = true });

        view.ApplyEvent(Event(ChangeKind.Existing, 10, Todo("todo-1", "Ship", "1"), origin: Optimistic));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal("todo-1", shown.Id);
        Assert.True(shown.Completed);
    }

    [Fact]
    public void PendingUpdate_SurvivesExistingThatCarriesTheOldState()
    {
        // S17, F4: a reconnect's snapshot holds the state the edit was made on; the edit stays on top.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "Old", "1")));
        ViewTodo returned = view.AddUpdate(5, "a", Title("New"));
        Assert.Equal("New", returned.Title);

        view.ReplaceServerRows([Listed(Todo("a", "Old", "1"))]);
        view.ApplyEvent(Event(ChangeKind.Existing, 2, Todo("a", "Old", "1")));
        Assert.Equal("New", Assert.Single(view.Items).Title);

        view.Confirm(5, "a", "2", Json(Todo("a", "New", "2")));
        Assert.Equal("New", Assert.Single(view.Items).Title);
        Assert.Equal("2", view.GetServerVersion("a"));
    }

    [Fact]
    public void PendingUpdate_IsReappliedOverAnotherClientsChange()
    {
        // S17: server state with the pending patch on top: the other client's field shows, ours wins ours.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "Old", "1")));
        view.AddUpdate(5, "a", Title("Mine"));

        view.ApplyEvent(Changed(2, "a", "2", """{"title":"Theirs","completed":true}"""));

        ViewTodo shown = Assert.Single(view.Items);
        Assert.Equal("Mine", shown.Title);
        Assert.True(shown.Completed);
    }

    [Theory]
    [InlineData(ChangeKind.Existing)]
    [InlineData(ChangeKind.Added)]
    [InlineData(ChangeKind.Changed)]
    public void PendingDelete_IsNotResurrectedByAnyEvent(ChangeKind kind)
    {
        // S16: no ghost items while the delete is pending.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        view.AddDelete(7, "a");
        Assert.Empty(view.Items);

        view.ApplyEvent(Event(kind, 2, Todo("a", "A again", "2")));
        view.ReplaceServerRows([Listed(Todo("a", "A", "2"))]);

        Assert.Empty(view.Items);
        Assert.False(view.TryGet("a", out _));
    }

    [Fact]
    public void ConfirmedDelete_IsNotResurrectedByALateEventFromBeforeIt()
    {
        // S16: the push answer can beat the feed; a changed event older than the delete must not show the row.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        view.AddDelete(7, "a");
        view.Confirm(7, "a", null, default);

        view.ApplyEvent(Changed(2, "a", "2", """{"title":"late"}"""));
        Assert.Empty(view.Items);

        view.ApplyEvent(Removed(3, "a"));
        view.ApplyEvent(Event(ChangeKind.Added, 4, Todo("a", "re-created", "1")));
        Assert.Equal("re-created", Assert.Single(view.Items).Title);
    }

    [Fact]
    public void DiscardedDelete_ShowsTheRowAgain_AndDiscardedCreate_RemovesTheItem()
    {
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        view.AddDelete(2, "a");
        view.AddCreate(3, Todo(Optimistic, "New"));

        view.Discard(2);
        view.Discard(3);

        Assert.Equal(["a"], view.Items.Keys());
        Assert.Equal(0, view.PendingCount);
    }

    [Fact]
    public void CreateThenDeleteOffline_ShowsNothing()
    {
        // S6, S16: the engine may keep both entries until it cancels them; the view shows nothing either way.
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, Todo(Optimistic, "Ship"));
        view.AddDelete(2, Optimistic);
        Assert.Empty(view.Items);

        view.Discard(1);
        view.Discard(2);
        Assert.Empty(view.Items);
    }

    [Fact]
    public void ReplaceServerRows_DropsRowsThatVanished_AndKeepsTheOverlay()
    {
        // S19, F4: a fresh list replaces the rows; optimistic items and pending edits stay.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ReplaceServerRows([Listed(Todo("a", "A", "1")), Listed(Todo("b", "B", "1"))]);
        view.AddCreate(3, Todo(Optimistic, "Mine"));
        view.AddUpdate(4, "a", Title("A edited"));

        view.ReplaceServerRows([Listed(Todo("a", "A", "1")), Listed(Todo("c", "C", "1"))]);

        Assert.Equal(["a", "c", Optimistic], view.Items.Keys());
        Assert.Equal("A edited", view.Items[0].Title);
    }

    [Fact]
    public void RowsConfirmedWhileAListIsRead_AreNotDroppedOrAgedByThatList_AndARefetchIsAsked()
    {
        // S18, F4: the list may have been read before the server applied these; dropping them would
        // make confirmed items blink out until the feed brings them back.
        var view = new LocalView<ViewTodo>(ClientId);
        int refetches = 0;
        view.RefetchRequested += () => refetches++;
        view.ReplaceServerRows([Listed(Todo("a", "A", "1"))]);
        view.AddCreate(1, Todo(Optimistic, "Mine"));
        view.AddUpdate(2, "a", Title("A edited"));

        view.BeginList();
        view.Confirm(1, "todo-1", "1", Json(Todo("todo-1", "Mine", "1")));
        view.Confirm(2, "a", "2", Json(Todo("a", "A edited", "2")));
        view.ReplaceServerRows([Listed(Todo("a", "A", "1"))]);

        Assert.Equal(["a", "todo-1"], view.Items.Keys());
        Assert.Equal("A edited", view.Items[0].Title);
        Assert.Equal(1, refetches);

        // The next list is the truth again: what it lacks is gone.
        view.BeginList();
        view.ReplaceServerRows([Listed(Todo("a", "A edited", "2"))]);
        Assert.Equal(["a"], view.Items.Keys());
        Assert.Equal(1, refetches);
    }

    [Fact]
    public void ReplayBeforeRefetch_ShowsOptimisticItemsAtOnce_AndPatchesRowsOnceListed()
    {
        // Restart: the engine replays the queue into a fresh view, then the follower lists (F4, S17).
        var view = new LocalView<ViewTodo>(ClientId);
        view.AddCreate(1, Todo(Optimistic, "Offline"));
        ViewTodo answered = view.AddUpdate(2, "a", Title("Edited offline"));
        view.AddDelete(3, "b");

        Assert.Equal("Edited offline", answered.Title);
        Assert.Equal([Optimistic], view.Items.Keys());

        view.ReplaceServerRows([Listed(Todo("a", "A", "1")), Listed(Todo("b", "B", "1"))]);
        Assert.Equal(["a", Optimistic], view.Items.Keys());
        Assert.Equal("Edited offline", view.Items[0].Title);
    }

    [Fact]
    public void RemovedWithOriginKey_BeforeALateAnswer_HidesTheCreate_AndTheAnswerDoesNotBringTheRowBack()
    {
        // S3, S16 (chaos seed 307): the create's answer was lost; another client deleted the row before this client's
        // feed caught up, so the feed's only event for it is the removal. The retried create's answer, replayed by the
        // server, must not show a row the server no longer holds (a ghost until the next list).
        var view = new LocalView<ViewTodo>(ClientId);
        var learned = new List<IdMapping>();
        view.MappingLearned += learned.Add;
        view.AddCreate(1, Todo(Optimistic, "Ship"));

        view.ApplyEvent(Event(ChangeKind.Removed, 10, Todo("todo-1", "Ship"), origin: Optimistic));
        Assert.Empty(view.Items);
        Assert.Equal([new IdMapping(ViewTodo.ResourceName, Optimistic, "todo-1")], learned);

        Assert.False(view.TryGetKeptRow(new ConfirmedWrite("todo-1", MutationKind.Create, "1", Json(Todo("todo-1", "Ship", "1")), 1), out _));
        view.Confirm(1, "todo-1", "1", Json(Todo("todo-1", "Ship", "1")));

        Assert.Empty(view.Items);
        Assert.False(view.TryGet(Optimistic, out _));
    }

    [Fact]
    public void Confirm_WithAnOlderNumericVersion_DoesNotReplaceANewerFeedState()
    {
        // S17: the push answer for version 2 arriving after the feed's version 3 must not win.
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        view.AddUpdate(2, "a", Title("Mine"));
        view.ApplyEvent(Event(ChangeKind.Changed, 5, Todo("a", "Theirs after mine", "3")));

        view.Confirm(2, "a", "2", Json(Todo("a", "Mine", "2")));

        Assert.Equal("Theirs after mine", Assert.Single(view.Items).Title);
    }

    [Theory] // S10, S17: a feed page read before the confirmed update, delivered after its answer
    [InlineData(ChangeKind.Added)]
    [InlineData(ChangeKind.Existing)]
    public void AnOlderAddedOrExistingEvent_AfterAConfirmedUpdate_KeepsTheNewerRow_AndTheNextUpdatesBase(ChangeKind kind)
    {
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        view.AddUpdate(2, "a", Title("Mine"));
        view.Confirm(2, "a", "2", Json(Todo("a", "Mine", "2")));

        view.ApplyEvent(Event(kind, 1, Todo("a", "A", "1")));

        Assert.Equal(("Mine", "2"), (Assert.Single(view.Items).Title, view.GetServerVersion("a")));
    }

    [Fact]
    public void UnreadableRowInAnUpdateAnswerOrAConflict_KeepsTheHeldRow_AndAsksForARefetch()
    {
        // A malformed answer must not throw in the drain: the list, not the answer, then says what the row is.
        var view = new LocalView<ViewTodo>(ClientId);
        int refetches = 0;
        view.RefetchRequested += () => refetches++;
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        view.AddUpdate(2, "a", Title("Mine"));

        view.Confirm(2, "a", "2", Json("""{"title":5}"""));
        view.SetServerRow("a", "3", Json("[1,2]"));

        Assert.Equal(2, refetches);
        Assert.Equal(("a", "A"), (Assert.Single(view.Items).Id, view.Items[0].Title));
        Assert.Equal(0, view.PendingCount);
    }

    [Fact]
    public void Items_IsACachedImmutableSnapshot()
    {
        var view = new LocalView<ViewTodo>(ClientId);
        view.ApplyEvent(Event(ChangeKind.Existing, 1, Todo("a", "A", "1")));
        IReadOnlyList<ViewTodo> first = view.Items;
        Assert.Same(first, view.Items);

        view.AddUpdate(2, "a", Title("B"));
        IReadOnlyList<ViewTodo> second = view.Items;

        Assert.NotSame(first, second);
        Assert.Equal("A", first[0].Title);
        Assert.Equal("B", second[0].Title);
        Assert.False(first is ViewTodo[]);
    }
}
