using System.Collections.Specialized;
using System.ComponentModel;
using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;
using ViewTodoSet = OfflineSync.Tests.Model.TestSync.ViewTodoSet;

namespace OfflineSync.Tests.View;

/// <summary>The set's live features: status, pending count, change notifications and snapshot streams.</summary>
public class SyncSetLiveTests
{
    private readonly ViewOnlyEngine _engine = new();

    [Fact]
    public void WithoutAContext_NotificationsAreRaisedAtOnce_WithPreciseActions()
    {
        var set = new ViewTodoSet(_engine);
        var changes = new List<NotifyCollectionChangedEventArgs>();
        var properties = new List<string?>();
        ((INotifyCollectionChanged)set).CollectionChanged += (_, e) => changes.Add(e);
        ((INotifyPropertyChanged)set).PropertyChanged += (_, e) => properties.Add(e.PropertyName);

        ViewTodo created = set.Create(new ViewTodo { Title = "Ship" });
        Assert.Equal(NotifyCollectionChangedAction.Add, changes[^1].Action);
        Assert.Equal(0, changes[^1].NewStartingIndex);
        Assert.Contains("Count", properties);
        Assert.Contains(nameof(SyncSet<ViewTodo>.PendingCount), properties);
        Assert.Equal(1, set.PendingCount);

        set.Update(created.Id, Title("Shipped"));
        Assert.Equal(NotifyCollectionChangedAction.Replace, changes[^1].Action);
        Assert.Equal("Shipped", ((ViewTodo)changes[^1].NewItems![0]!).Title);

        set.Delete(created.Id);
        Assert.Equal(NotifyCollectionChangedAction.Remove, changes[^1].Action);
        Assert.Empty(set);
    }

    [Fact]
    public void WithoutListeners_TheListFollowsTheView_AndAFirstListenerIsNotifiedFromThere()
    {
        // Unobserved sets publish nothing per change (a drain confirms thousands), yet read as current.
        var set = new ViewTodoSet(_engine);
        ViewTodo first = set.Create(new ViewTodo { Title = "1" });
        set.Create(new ViewTodo { Title = "2" });
        Assert.Equal(["1", "2"], set.Select(static t => t.Title));
        Assert.Equal(2, ((IReadOnlyCollection<ViewTodo>)set).Count);

        set.Delete(first.Id);
        var changes = new List<NotifyCollectionChangedEventArgs>();
        ((INotifyCollectionChanged)set).CollectionChanged += (_, e) => changes.Add(e);
        set.Create(new ViewTodo { Title = "3" });

        NotifyCollectionChangedEventArgs added = Assert.Single(changes);
        Assert.Equal(NotifyCollectionChangedAction.Add, added.Action);
        Assert.Equal(1, added.NewStartingIndex);
        Assert.Equal(["2", "3"], set.Select(static t => t.Title));
    }

    [Fact]
    public async Task WithAContext_NotificationsRunOnIt_AndTheListMatchesThem()
    {
        var context = new PumpedContext();
        ViewTodoSet set = context.Run(() => new ViewTodoSet(_engine));
        var seen = new List<(NotifyCollectionChangedAction Action, bool OnContext, int Count)>();
        ((INotifyCollectionChanged)set).CollectionChanged += (_, e) =>
            seen.Add((e.Action, SynchronizationContext.Current == context, ((IReadOnlyCollection<ViewTodo>)set).Count));

        // A change made on a worker thread: visible in Items at once (S1), notified on the context later.
        await Task.Run(() => set.Create(new ViewTodo { Title = "From a worker" }));
        Assert.Single(set.Items);
        Assert.Empty(set);
        Assert.Empty(seen);

        context.Pump();
        Assert.Equal([(NotifyCollectionChangedAction.Add, true, 1)], seen);
        Assert.Single(set);
    }

    [Fact]
    public void WithAContext_ChangesMadeOnIt_AreNotifiedAtOnce()
    {
        var context = new PumpedContext();
        ViewTodoSet set = context.Run(() => new ViewTodoSet(_engine));
        int raised = 0;
        set.Changed += (_, e) => raised++;

        context.Run(() => set.Create(new ViewTodo { Title = "On the UI thread" }));

        Assert.Equal(1, raised);
        Assert.Equal(0, context.Pending);
    }

    [Fact]
    public void SeveralChanges_BeforeThePump_AreCoalescedIntoOneUpToDateNotification()
    {
        var context = new PumpedContext();
        ViewTodoSet set = context.Run(() => new ViewTodoSet(_engine));
        var snapshots = new List<IReadOnlyList<ViewTodo>>();
        set.Changed += (_, e) => snapshots.Add(e.Items);

        set.Create(new ViewTodo { Title = "1" });
        set.Create(new ViewTodo { Title = "2" });
        set.Create(new ViewTodo { Title = "3" });
        Assert.Equal(1, context.Pending);

        context.Pump();
        Assert.Equal(3, Assert.Single(snapshots).Count);
    }

    [Fact]
    public void Status_FollowsTheView_AndRaisesPropertyChanged()
    {
        var set = new ViewTodoSet(_engine);
        var properties = new List<string?>();
        ((INotifyPropertyChanged)set).PropertyChanged += (_, e) => properties.Add(e.PropertyName);
        Assert.Equal(SyncSetStatus.Loading, set.Status);

        _engine.ViewOf<ViewTodo>().SetStatus(SyncSetStatus.Reconnecting);

        Assert.Equal(SyncSetStatus.Reconnecting, set.Status);
        Assert.Equal([nameof(SyncSet<ViewTodo>.Status)], properties);
    }

    [Fact]
    public async Task WatchAsync_YieldsTheCurrentSnapshot_ThenOneAfterChanges()
    {
        var set = new ViewTodoSet(_engine);
        set.Create(new ViewTodo { Title = "First" });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using IAsyncEnumerator<IReadOnlyList<ViewTodo>> watch = set.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Single(watch.Current);

        ValueTask<bool> next = watch.MoveNextAsync();
        set.Create(new ViewTodo { Title = "Second" });
        Assert.True(await next);
        Assert.Equal(["First", "Second"], watch.Current.Select(t => t.Title));

        // The feed re-keys the item: one more snapshot, still one item per key (S18).
        string optimistic = watch.Current[0].Id;
        next = watch.MoveNextAsync();
        _engine.ViewOf<ViewTodo>().ApplyEvent(Event(ChangeKind.Added, 1, Todo("s-1", "First", "1"), origin: optimistic));
        Assert.True(await next);
        Assert.Equal(2, watch.Current.Count);
        Assert.Contains(watch.Current, t => t.Id == "s-1");
    }

    [Fact]
    public async Task WatchAsync_EndsWhenCancelled()
    {
        var set = new ViewTodoSet(_engine);
        using var cancel = new CancellationTokenSource();
        await using IAsyncEnumerator<IReadOnlyList<ViewTodo>> watch = set.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await watch.MoveNextAsync());

        ValueTask<bool> next = watch.MoveNextAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }
}
