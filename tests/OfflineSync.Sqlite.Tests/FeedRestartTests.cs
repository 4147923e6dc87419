using System.Text;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Engine;
using OfflineSync.Tests.Support;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S15 across a restart, on a real store file: the sets' rows and feed positions are kept, so a restarted client shows
/// its rows at once (offline too) and resumes each feed after them instead of listing; a checkpoint it cannot trust
/// (another model, a list written only in part) makes it list.
/// </summary>
public sealed class FeedRestartTests : IAsyncDisposable
{
    private const string Tags = "tags";
    private readonly TempFolder _folder = new();
    private readonly ScriptedFeed _server = new();
    private readonly List<TestSync> _clients = [];

    public async ValueTask DisposeAsync()
    {
        foreach (TestSync client in _clients)
        {
            await client.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Theory]
    [InlineData(Durability.Full)]
    [InlineData(Durability.Batched)]
    public async Task Restart_ShowsTheKeptRowsOffline_ThenResumesAfterThemWithoutListing(Durability durability)
    {
        string path = _folder.File();
        Put("a", "first");
        Put("b", "second");
        Put("c", "third");
        TestSync first = Open(path, durability);
        await Until(() => first.Tags.Items.Count == 3 && first.Tags.Status == SyncSetStatus.Live);
        Put("d", "fourth"); // through the feed: the checkpoint has events as well as a list
        await Until(() => first.Tags.Items.Count == 4);
        await Close(first);
        int lists = _server.ListCallsOf(Tags);

        Put("a", "first, changed", "2", ChangeKind.Changed);
        _server.Remove(Tags, "b");
        Put("e", "fifth");

        var network = new FakeNetworkMonitor(online: false);
        TestSync restarted = Open(path, durability, network);
        Assert.Equal(["a:first", "b:second", "c:third", "d:fourth"], Describe(restarted.Tags.Items));

        network.Set(true);
        await Until(() => Describe(restarted.Tags.Items).SequenceEqual(["a:first, changed", "c:third", "d:fourth", "e:fifth"]));

        Assert.Equal(lists, _server.ListCallsOf(Tags));
        Assert.Equal(4L, _server.FollowCallsOf(Tags)[^1]);
    }

    [Fact]
    public async Task CheckpointOfAnotherModel_IsNotUsed_TheSetLists()
    {
        // An app update may add properties: rows kept by the old model would lack them for good.
        string path = _folder.File();
        Put("a", "first");
        TestSync first = Open(path);
        await Until(() => first.Tags.Items.Count == 1 && first.Tags.Status == SyncSetStatus.Live);
        await Close(first);
        StoreFiles.Execute(path, "UPDATE feed_position SET contract = 'written by another model' WHERE resource = 'tags'");
        int lists = _server.ListCallsOf(Tags);

        var network = new FakeNetworkMonitor(online: false);
        TestSync restarted = Open(path, network: network);
        Assert.Empty(restarted.Tags.Items);
        network.Set(true);
        await Until(() => restarted.Tags.Items.Count == 1 && restarted.Tags.Status == SyncSetStatus.Live);

        Assert.Equal(lists + 1, _server.ListCallsOf(Tags));
    }

    [Fact]
    public async Task CheckpointWithoutPosition_AListWrittenInPart_IsNotUsed_TheSetLists()
    {
        string path = _folder.File();
        Put("a", "first");
        TestSync first = Open(path);
        await Until(() => first.Tags.Items.Count == 1 && first.Tags.Status == SyncSetStatus.Live);
        await Close(first);
        StoreFiles.Execute(path, "DELETE FROM feed_position WHERE resource = 'tags'");
        Put("b", "second");
        int lists = _server.ListCallsOf(Tags);

        TestSync restarted = Open(path);
        await Until(() => restarted.Tags.Items.Count == 2 && restarted.Tags.Status == SyncSetStatus.Live);

        Assert.Equal(lists + 1, _server.ListCallsOf(Tags));
    }

    [Fact]
    public async Task FeedEvents_ReachTheStoreInBatches_AndAStopWritesWhatIsWaiting()
    {
        // Off the enqueue path: events are written in batches of at most 500 rows; going offline writes the rest.
        string path = _folder.File();
        TestSync client = Open(path);
        await Until(() => client.Tags.Status == SyncSetStatus.Live);
        for (int i = 0; i < 1200; i++)
        {
            Put($"t{i:D4}", $"tag {i}");
        }

        await Until(() => client.Tags.Items.Count == 1200);
        client.SetOnline(false);
        await Until(() => client.Tags.Status == SyncSetStatus.Offline);

        Assert.Equal(1200L, StoreFiles.Scalar(path, "SELECT sequence FROM feed_position WHERE resource = 'tags'"));
        Assert.Equal(1200L, StoreFiles.Scalar(path, "SELECT count(*) FROM feed_rows WHERE resource = 'tags'"));
    }

    private TestSync Open(string path, Durability durability = Durability.Full, FakeNetworkMonitor? network = null)
    {
        var client = new TestSync(new SyncOptions
        {
            Transport = _server,
            Store = SqliteMutationStore.Open(path, new SqliteMutationStoreOptions { Durability = durability }),
            ClientId = "restarting",
            AutoSync = false,
            NetworkMonitor = network,
        });
        _clients.Add(client);
        return client;
    }

    private async Task Close(TestSync client)
    {
        _clients.Remove(client);
        await client.DisposeAsync();
    }

    private void Put(string key, string label, string version = "1", ChangeKind kind = ChangeKind.Added) =>
        _server.Put(Tags, key, null, version, Encoding.UTF8.GetBytes($$"""{"id":"{{key}}","label":"{{label}}"}"""), kind);

    private static string[] Describe(IReadOnlyList<Tag> tags) =>
        tags.OrderBy(static t => t.Id, StringComparer.Ordinal).Select(static t => $"{t.Id}:{t.Label}").ToArray();

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
