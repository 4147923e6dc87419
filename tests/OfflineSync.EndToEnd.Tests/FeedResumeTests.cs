using OfflineSync.EndToEnd.Tests.Support;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests;

public sealed class FeedResumeTests
{
    [Fact] // S15, S18, F4: the feed resumes after a disconnect without gaps or duplicates
    public async Task FeedCutWhileOtherClientWrites_ResumesWithoutGapsOrDuplicates()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync();
        await using var proxy = new LoopbackProxy(cluster.Server.Address);
        TodoSync writer = cluster.CreateClient("writer");
        TodoSync reader = cluster.CreateClient("reader", through: proxy.Address);

        for (int i = 0; i < 5; i++)
        {
            writer.Todos.Create(new Todo { Title = $"before {i}" });
        }

        await writer.SyncAsync();
        await Eventually.TrueAsync(() => reader.Todos.Items.Count == 5, "the reader sees the first five");

        proxy.CutAllConnections();
        for (int i = 0; i < 5; i++)
        {
            writer.Todos.Create(new Todo { Title = $"during {i}" });
        }

        await writer.SyncAsync();
        string removed = writer.Todos.Items.First(static t => t.Title == "before 0").Id;
        writer.Todos.Delete(removed);
        await writer.SyncAsync();
        proxy.CutAllConnections();

        IReadOnlyList<Todo> server = await cluster.ServerRowsAsync<Todo>();
        Assert.Equal(9, server.Count);
        await Eventually.TrueAsync(
            () => reader.Todos.Items.Select(static t => t.Id).Order().SequenceEqual(server.Select(static t => t.Id).Order()),
            "the reader's view equals the server's rows");
        Assert.Equal(9, reader.Todos.Items.Select(static t => t.Id).Distinct().Count());
        Assert.False(reader.Todos.TryGet(removed, out _));
    }

    [Fact] // S19, F4: a client away past the server's retention relists on reconnect and keeps its overlay
    public async Task ClientAwayPastRetention_RefetchesOnReconnect_AndKeepsPendingItems()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync(options => options.MaxRetainedChanges = 3);
        TodoSync writer = cluster.CreateClient("writer");
        TodoSync reader = cluster.CreateClient("reader");
        writer.Todos.Create(new Todo { Title = "first" });
        await writer.SyncAsync();
        await Eventually.TrueAsync(() => reader.Todos.Items.Count == 1, "the reader sees the first todo");

        reader.SetOnline(false);
        Todo offline = reader.Todos.Create(new Todo { Title = "made offline" });
        string first = writer.Todos.Items.Single().Id;
        writer.Todos.Delete(first);
        for (int i = 0; i < 10; i++)
        {
            writer.Todos.Create(new Todo { Title = $"later {i}" });
        }

        await writer.SyncAsync();
        Assert.True(reader.Todos.TryGet(offline.Id, out _));

        reader.SetOnline(true);
        await reader.SyncAsync();
        IReadOnlyList<Todo> server = await cluster.ServerRowsAsync<Todo>();
        Assert.Equal(11, server.Count);
        await Eventually.TrueAsync(
            () => reader.Todos.Items.Select(static t => t.Id).Order().SequenceEqual(server.Select(static t => t.Id).Order()),
            "the reader's view equals the server's rows after the refetch");
        Assert.False(reader.Todos.TryGet(first, out _));
        Assert.True(reader.Todos.TryGet(offline.Id, out Todo? mine));
        Assert.Equal("made offline", mine.Title);
    }

    [Fact] // S19: a connected client overtaken by retention gets invalidate mid-stream and refetches
    public async Task LiveClientOvertakenByRetention_GetsInvalidate_AndItsViewEqualsTheServer()
    {
        await using SyncCluster cluster = await SyncCluster.StartAsync(options => options.MaxRetainedChanges = 3);
        TodoSync writer = cluster.CreateClient("writer");
        TodoSync reader = cluster.CreateClient("reader");
        writer.Todos.Create(new Todo { Title = "first" });
        await writer.SyncAsync();
        await Eventually.TrueAsync(() => reader.Todos.Items.Count == 1, "the reader sees the first todo");

        // One batch of eleven changes: retention drops them in the commit that appends them, so no event carries them.
        writer.SetOnline(false);
        string first = writer.Todos.Items.Single().Id;
        writer.Todos.Delete(first);
        for (int i = 0; i < 10; i++)
        {
            writer.Todos.Create(new Todo { Title = $"later {i}" });
        }

        writer.SetOnline(true);
        await writer.SyncAsync();

        IReadOnlyList<Todo> server = await cluster.ServerRowsAsync<Todo>();
        Assert.Equal(10, server.Count);
        await Eventually.TrueAsync(
            () => reader.Todos.Items.Select(static t => t.Id).Order().SequenceEqual(server.Select(static t => t.Id).Order()),
            "the reader's view equals the server's rows after the invalidate");
        Assert.False(reader.Todos.TryGet(first, out _));
        Assert.Equal(SyncSetStatus.Live, reader.Todos.Status);
    }
}
