using System.Text;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// Issue 11: what a restart on a real store file must not change. A request the server may have applied is
/// repeated exactly, whatever the feed taught meanwhile (S3, S9); a key the server should never have sent
/// never reaches the file, and the file always opens again.
/// </summary>
public sealed class LostAnswerRestartTests : IAsyncDisposable
{
    private const string ClientId = "client-a";
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<TestSync> _clients = [];

    public async ValueTask DisposeAsync()
    {
        foreach (TestSync client in _clients)
        {
            await client.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task LostAnswer_FeedTeachesTheMapping_Restart_RetryRepeatsTheBatchByteForByte()
    {
        // S3, S9: the server applied the batch and lost the answer; the feed then confirmed the category. The
        // restarted client must send the same requests under the same keys, or the server refuses the reused key
        // (422) and the create and its dependents fail although they were applied.
        string path = _folder.File();
        var scripted = new ScriptedTransport { AssignKey = static m => m.Resource == "categories" ? "srv-c" : null };
        var sent = new List<IReadOnlyList<OutgoingMutation>>();
        var server = new RecordingTransport(new IdempotentServer(scripted), sent);
        TestSync first = Open(path, new AnswerLostTransport(server) { Failure = new IOException("Connection reset by peer") });
        await WaitLiveAsync(first);
        Category category = first.Categories.Create(new Category { Name = "work" });
        Todo todo = first.Todos.Create(new Todo { Title = "write", CategoryId = category.Id });
        Todo another = first.Todos.Create(new Todo { Title = "file", CategoryId = category.Id });

        await first.SyncAsync().WaitAsync(HangGuard);
        Assert.Equal(1, scripted.PushCount);
        Assert.All(first.GetPending(), p => Assert.Equal((MutationStatus.Failed, 1), (p.Status, p.Attempts)));

        var remapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.IdRemapped += _ => remapped.TrySetResult();
        scripted.Publish(new ChangeEvent("categories", ChangeKind.Added, 1, "srv-c", category.Id, "1",
            Encoding.UTF8.GetBytes("""{"id":"srv-c","name":"work","version":"1"}""")) { OriginClientId = ClientId });
        await remapped.Task.WaitAsync(HangGuard);
        await first.DisposeAsync();

        var failures = new List<MutationFailedEventArgs>();
        TestSync second = Open(path, server);
        second.MutationFailed += failures.Add;
        Assert.True(second.Categories.TryGet(category.Id, out Category? shown) && shown.Id == "srv-c");
        await second.SyncAsync().WaitAsync(HangGuard);

        // On the wire: every field of every retried request equals its first send, the todos still naming the
        // category by the key the server resolves within the batch.
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].Select(IdempotentServer.Request), sent[1].Select(IdempotentServer.Request));
        Assert.Equal(category.Id, System.Text.Json.JsonDocument.Parse(sent[1][1].Payload).RootElement.GetProperty("categoryId").GetString());

        // At the server: answered from the idempotency store, nothing refused, nothing applied twice.
        Assert.Equal(1, scripted.PushCount);
        Assert.Empty(server.Inner.Refused);
        Assert.Empty(failures);
        Assert.Equal(0, second.PendingCount);
        Assert.True(second.IdMap.TryResolve<Todo>(todo.Id, out string? todoKey));
        Assert.True(second.IdMap.TryResolve<Todo>(another.Id, out _));
        Assert.Equal("srv-c", (string?)scripted.RowOf("todos", todoKey)!["categoryId"]);
        Assert.True(second.Todos.TryGet(todo.Id, out Todo? shownTodo) && shownTodo.CategoryId == "srv-c");
    }

    [Fact]
    public async Task ServerKeyThatIsNotALongKey_FailsThePush_NeverReachesTheStore_AndTheStoreOpensAgain()
    {
        // Issue 11 (hostile server): a 201 whose key is "abc" for a long-keyed resource used to be stored as a mapping,
        // and the client could no longer be opened.
        string path = _folder.File();
        var scripted = new ScriptedTransport { AssignKey = static m => m.Resource == "projects" ? "abc" : null };
        TestSync first = Open(path, new IdempotentServer(scripted));
        var failures = new List<MutationFailedEventArgs>();
        first.MutationFailed += failures.Add;
        Project project = first.Projects.Create(new Project { Name = "p" });
        Tag tag = first.Tags.Create(new Tag { Label = "independent" });

        await first.SyncAsync().WaitAsync(HangGuard);

        MutationFailedEventArgs failure = Assert.Single(failures);
        Assert.Equal(FailureReason.Rejected, failure.Reason);
        Assert.Contains("'abc'", failure.Error, StringComparison.Ordinal);
        Assert.Contains("Int64", failure.Error, StringComparison.Ordinal);
        Assert.False(first.IdMap.TryResolve<Project, long>(project.Id, out _));
        Assert.True(first.IdMap.TryResolve<Tag>(tag.Id, out _));
        await first.DisposeAsync();
        Assert.Equal(1L, StoreFiles.Scalar(path, "SELECT count(*) FROM id_map"));

        TestSync second = Open(path, scripted);
        Assert.True(second.Projects.TryGet(project.Id, out Project? kept) && kept.Name == "p");
        Assert.Equal((MutationStatus.PermanentlyFailed, FailureReason.Rejected), (second.GetPending()[0].Status, second.GetPending()[0].FailureReason));
    }

    [Fact]
    public async Task StoreHoldingAMappingToAKeyOfTheWrongType_OpensAndIgnoresIt()
    {
        // Issue 11: a store written by a version that took any key keeps opening; the bad mapping is left out.
        string path = _folder.File();
        using (SqliteMutationStore store = SqliteMutationStore.Open(path))
        {
            store.AddMapping(new IdMapping("projects", "-1", "abc"));
            store.AddMapping(new IdMapping("projects", "-2", "7"));
        }

        TestSync client = Open(path, new ScriptedTransport());

        Assert.False(client.IdMap.TryResolve<Project, long>(-1, out _));
        Assert.True(client.IdMap.TryResolve<Project, long>(-2, out long server) && server == 7);
    }

    private TestSync Open(string path, ISyncTransport transport)
    {
        var client = new TestSync(new SyncOptions
        {
            Transport = transport,
            Store = SqliteMutationStore.Open(path),
            TimeProvider = _time,
            AutoSync = false,
            ClientId = ClientId,
        });
        _clients.Add(client);
        return client;
    }

    private static async Task WaitLiveAsync(TestSync client)
    {
        using var timeout = new CancellationTokenSource(HangGuard);
        while (client.Categories.Status != SyncSetStatus.Live)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>Records every batch pushed through it, as sent.</summary>
    private sealed class RecordingTransport(IdempotentServer server, List<IReadOnlyList<OutgoingMutation>> sent) : ISyncTransport
    {
        public IdempotentServer Inner => server;

        public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
        {
            lock (sent)
            {
                sent.Add(batch.ToArray());
            }

            return server.PushAsync(batch, cancellationToken);
        }

        public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken) =>
            server.ListAsync(resource, after, limit, clientId, cancellationToken);

        public IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken) =>
            server.FollowAsync(resource, afterSequence, clientId, cancellationToken);
    }
}
