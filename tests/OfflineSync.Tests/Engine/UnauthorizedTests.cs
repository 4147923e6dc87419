using System.Text.Json;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;
using OfflineSync.Tests.View;

namespace OfflineSync.Tests.Engine;

/// <summary>
/// A 401 the transport could not cure with one refresh (issue 12): the client waits with
/// <see cref="SyncStatus.Unauthorized"/> instead of failing the queue, and resumes when the app has new credentials.
/// </summary>
public sealed class UnauthorizedTests
{
    private static readonly PushResult Refused = new PushResult.Unauthorized("The server refused the credentials (HTTP 401): token expired");

    [Fact]
    public async Task Push401_QueueWaitsUnauthorized_NothingFailsOrLosesAnAttempt()
    {
        // S9: a 401 is not the mutation's fault: no attempt counted, nothing rejected, no backoff timer.
        await using var harness = new SyncHarness();
        var statuses = new List<SyncStatus>();
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.StatusChanged += e => statuses.Add(e.Current);
        harness.Client.MutationFailed += failed.Add;
        harness.Transport.Always = _ => Refused;
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });
        harness.Client.Tags.Create(new Tag { Label = "c" });

        await harness.Client.SyncAsync();

        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        Assert.Contains(SyncStatus.Unauthorized, statuses);
        Assert.Empty(failed);
        Assert.All(harness.Client.GetPending(), p => Assert.Equal((MutationStatus.Pending, 0), (p.Status, p.Attempts)));
        Assert.All(harness.Store.Load().Pending, p => Assert.Equal(0, p.Attempts));

        // Waiting for credentials is not a backoff: an hour later nothing was sent again, and SyncAsync does not push.
        harness.Time.Advance(TimeSpan.FromHours(1));
        await harness.Client.SyncAsync();
        Assert.Equal(1, harness.Transport.PushCount);

        harness.Transport.Always = null;
        harness.Client.NotifyCredentialsChanged();
        await harness.Client.SyncAsync();

        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
        Assert.Equal(["a", "b", "c"], harness.Transport.Applied.Select(Label));
    }

    [Fact]
    public async Task Push401_WithAutoSync_NewMutationsWaitToo_CredentialsChangedDrainsThemInOrder()
    {
        // S5, S8: while the credentials are refused a new mutation starts no drain; new credentials start one.
        await using var harness = new SyncHarness(autoSync: true);
        harness.Transport.Always = _ => Refused;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.SyncCompleted += _ => stopped.TrySetResult();
        harness.Client.Tags.Create(new Tag { Label = "a" });
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);

        harness.Client.Tags.Create(new Tag { Label = "b" });

        // No drain started: SyncAsync has nothing to wait for.
        Assert.True(harness.Client.SyncAsync().IsCompleted);
        Assert.Equal(1, harness.Transport.PushCount);
        harness.Transport.Always = null;
        harness.Client.NotifyCredentialsChanged();
        await Poll.Until(() => harness.Client.PendingCount == 0, "the queue drained after new credentials");

        Assert.Equal(["a", "b"], harness.Transport.Applied.Select(Label));
        await Poll.Until(() => harness.Client.Status == SyncStatus.Idle, "the client is idle");
    }

    [Fact]
    public async Task Push401_InsideABatch_MutationsBeforeItAreConfirmed_TheRestWait()
    {
        // S3, S5: the answers before the refused one are applied; the refused one and those after it are sent again.
        await using var harness = new SyncHarness();
        harness.Transport.Then(m => Label(m) == "b" ? Refused : null);
        harness.Client.Tags.Create(new Tag { Label = "a" });
        Tag b = harness.Client.Tags.Create(new Tag { Label = "b" });
        Tag c = harness.Client.Tags.Create(new Tag { Label = "c" });

        await harness.Client.SyncAsync();

        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        Assert.Equal([b.Id, c.Id], harness.Client.GetPending().Select(p => p.Key));
        Assert.All(harness.Client.GetPending(), p => Assert.Equal(0, p.Attempts));

        harness.Client.NotifyCredentialsChanged();
        await harness.Client.SyncAsync();

        Assert.Equal(["a", "b", "c"], harness.Transport.Applied.Select(Label));
        Assert.Equal([3, 2], harness.Transport.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task PushThrowsSyncUnauthorizedException_WaitsLikeA401Answer()
    {
        // A transport without results for a refused request throws; wrapped or not, it is the same wait.
        await using var harness = new SyncHarness();
        harness.Transport.ThenThrow(new InvalidOperationException("handler failed", new SyncUnauthorizedException("no refresh token")));
        harness.Client.Tags.Create(new Tag { Label = "a" });

        await harness.Client.SyncAsync();

        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        PendingMutation pending = Assert.Single(harness.Client.GetPending());
        Assert.Equal((MutationStatus.Pending, 0), (pending.Status, pending.Attempts));

        harness.Client.NotifyCredentialsChanged();
        await harness.Client.SyncAsync();
        Assert.Equal(0, harness.Client.PendingCount);
    }

    [Fact]
    public async Task Repeated401s_NeverExhaustAMutation()
    {
        // S9: MaxAttempts counts attempts the server judged; a refused credential is none.
        await using var harness = new SyncHarness(o => o.MaxAttempts = 1);
        harness.Transport.Always = _ => Refused;
        harness.Client.Tags.Create(new Tag { Label = "a" });

        for (int i = 0; i < 3; i++)
        {
            harness.Client.NotifyCredentialsChanged();
            await harness.Client.SyncAsync();
            Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        }

        harness.Transport.Always = null;
        harness.Client.NotifyCredentialsChanged();
        await harness.Client.SyncAsync();

        Assert.Equal(4, harness.Transport.PushCount);
        Assert.Equal(["a"], harness.Transport.Applied.Select(Label));
    }

    [Theory]
    [InlineData("RetryNow")]
    [InlineData("online again")]
    public async Task Unauthorized_RetryNowOrComingOnline_TriesTheCredentialsAgain(string resume)
    {
        // S8: the app's "try now" and a reconnection are fresh starts.
        await using var harness = new SyncHarness();
        harness.Transport.Always = _ => Refused;
        harness.Client.Tags.Create(new Tag { Label = "a" });
        await harness.Client.SyncAsync();
        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        harness.Transport.Always = null;

        if (resume == "RetryNow")
        {
            harness.Client.RetryNow();
        }
        else
        {
            harness.Client.SetOnline(false);
            Assert.Equal(SyncStatus.Offline, harness.Client.Status);
            harness.Client.SetOnline(true);
        }

        await harness.Client.SyncAsync();
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
    }

    [Fact]
    public async Task Unauthorized_ThenRestart_SendsTheQueueWithTheNewCredentials()
    {
        // S4: waiting for credentials is not stored; a restarted client tries again and sends each mutation once.
        var harness = new SyncHarness();
        harness.Transport.Always = _ => Refused;
        harness.Client.Tags.Create(new Tag { Label = "a" });
        harness.Client.Tags.Create(new Tag { Label = "b" });
        await harness.Client.SyncAsync();
        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        await harness.DisposeAsync();
        harness.Transport.Always = null;

        await using TestSync restarted = harness.Restart(harness.Store);
        Assert.All(restarted.GetPending(), p => Assert.Equal(0, p.Attempts));
        await restarted.SyncAsync();

        Assert.Equal(0, restarted.PendingCount);
        Assert.Equal(["a", "b"], harness.Transport.Applied.Select(Label));
    }

    [Fact]
    public async Task FeedRefusedWhileTheDrainBacksOff_TheBackoffEndsWithoutAPush()
    {
        // S8, S9: the credentials are the client's: once a feed found them refused, the drain sends nothing either.
        await using var harness = new SyncHarness();
        harness.Transport.ThenTransient();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.Tags.Create(new Tag { Label = "a" });
        await harness.Client.SyncAsync();
        Assert.Equal(SyncStatus.WaitingToRetry, harness.Client.Status);
        harness.Client.SyncCompleted += _ => stopped.TrySetResult();

        harness.Engine.ShowFeedUnauthorized("The change feed answered HTTP 401", harness.Engine.Credentials.Version);
        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        while (!stopped.Task.IsCompleted)
        {
            harness.Time.AdvanceToNextTimer();
            await Task.Delay(1);
        }

        Assert.Equal(1, harness.Transport.PushCount);
        Assert.Equal(SyncStatus.Unauthorized, harness.Client.Status);
        harness.Client.NotifyCredentialsChanged();
        await harness.Client.SyncAsync();
        Assert.Equal(["a"], harness.Transport.Applied.Select(Label));
    }

    [Fact]
    public async Task FeedRefusalOfCredentialsRenewedSince_IsIgnored()
    {
        // A follower that read the credentials before the app renewed them must not put the client back to waiting.
        await using var harness = new SyncHarness();
        long before = harness.Engine.Credentials.Version;
        harness.Client.NotifyCredentialsChanged();

        harness.Engine.ShowFeedUnauthorized("The change feed answered HTTP 401", before);

        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
    }

    [Fact]
    public async Task Push403_FailsThatMutationForGood_DependentsFailAndSaySo_IndependentOnesSync()
    {
        // S9: an access rule's refusal is final for the mutation; what depends on it fails with DependencyFailed.
        await using var harness = new SyncHarness();
        harness.Transport.Then(m => m.Resource == "categories"
            ? new PushResult.Rejected("The server's access rules refused this mutation (HTTP 403 Forbidden): The caller may not write this resource.", 403)
            : null);
        var failed = new List<MutationFailedEventArgs>();
        harness.Client.MutationFailed += failed.Add;
        Category category = harness.Client.Categories.Create(new Category { Name = "shared" });
        harness.Client.Todos.Create(new Todo { Title = "in shared", CategoryId = category.Id });
        harness.Client.Tags.Create(new Tag { Label = "independent" });

        await harness.Client.SyncAsync();

        Assert.Equal(
            [("categories", FailureReason.Rejected), ("todos", FailureReason.DependencyFailed)],
            failed.Select(f => (f.Mutation.Resource, f.Reason)));
        Assert.Contains("403", failed[0].Error, StringComparison.Ordinal);
        Assert.Contains($"of categories {category.Id}), which failed (Rejected): The server's access rules refused this mutation (HTTP 403 Forbidden)", failed[1].Error, StringComparison.Ordinal);
        Assert.Equal(["independent"], harness.Transport.Applied.Select(Label));
        Assert.Equal(SyncStatus.Idle, harness.Client.Status);
    }

    [Fact]
    public async Task Feed401_SetAndClientShowUnauthorized_NewCredentialsResumeFromThePositionWithoutAList()
    {
        // S15: the follower waits for credentials instead of backing off, and resumes after the last event it applied.
        var transport = new RefusingTransport(new ScriptedTransport());
        var time = new TimerClock(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var client = new TestSync(new SyncOptions { Transport = transport, TimeProvider = time, AutoSync = false });
        var statuses = new List<SyncStatus>();
        client.StatusChanged += e =>
        {
            lock (statuses)
            {
                statuses.Add(e.Current);
            }
        };
        await Poll.Until(() => client.Tags.Status == SyncSetStatus.Live, "the tags feed is live");
        transport.Inner.Publish(new ChangeEvent("tags", ChangeKind.Added, 1, "t1", null, "1", """{"id":"t1","label":"one"}"""u8.ToArray()));
        await Poll.Until(() => client.Tags.TryGet("t1", out _), "the first event arrived");
        int lists = transport.ListCount("tags");

        transport.Refuse = true;
        transport.DropFeeds();
        await Poll.Until(() => client.Tags.Status == SyncSetStatus.Unauthorized, "the tags feed waits for credentials");
        Assert.Equal(SyncStatus.Unauthorized, client.Status);
        transport.Inner.Publish(new ChangeEvent("tags", ChangeKind.Added, 2, "t2", null, "1", """{"id":"t2","label":"two"}"""u8.ToArray()));

        // No backoff timer runs while it waits: moving the clock on sends nothing.
        int follows = transport.FollowCount("tags");
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(follows, transport.FollowCount("tags"));

        transport.Refuse = false;
        client.NotifyCredentialsChanged();
        await Poll.Until(() => client.Tags.TryGet("t2", out _), "the feed resumed");

        Assert.Equal(1, transport.LastFollowedFrom("tags"));
        Assert.Equal(lists, transport.ListCount("tags"));
        Assert.Equal(SyncSetStatus.Live, client.Tags.Status);
        Assert.Equal(SyncStatus.Idle, client.Status);
        lock (statuses)
        {
            Assert.Equal([SyncStatus.Unauthorized, SyncStatus.Idle], statuses);
        }
    }

    private static string? Label(OutgoingMutation mutation) =>
        JsonDocument.Parse(mutation.Payload).RootElement.GetProperty("label").GetString();

    /// <summary>A transport whose server refuses the credentials of lists and feeds while <see cref="Refuse"/> is set.</summary>
    private sealed class RefusingTransport(ScriptedTransport inner) : ISyncTransport
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (int Lists, int Follows, long From)> _calls = new(StringComparer.Ordinal);
        private CancellationTokenSource _feeds = new();

        public ScriptedTransport Inner => inner;

        private volatile bool _refuse;

        public bool Refuse
        {
            get => _refuse;
            set => _refuse = value;
        }

        public int ListCount(string resource) => Calls(resource).Lists;

        public int FollowCount(string resource) => Calls(resource).Follows;

        public long LastFollowedFrom(string resource) => Calls(resource).From;

        /// <summary>Ends every open feed as a server that closes its streams would.</summary>
        public void DropFeeds()
        {
            CancellationTokenSource dropped;
            lock (_gate)
            {
                dropped = _feeds;
                _feeds = new CancellationTokenSource();
            }

            dropped.Cancel();
        }

        public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken) =>
            inner.PushAsync(batch, cancellationToken);

        public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
        {
            Record(resource, list: true, 0);
            return Refuse
                ? Task.FromException<ListPage>(new SyncUnauthorizedException("HTTP 401"))
                : inner.ListAsync(resource, after, limit, clientId, cancellationToken);
        }

        public async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Record(resource, list: false, afterSequence);
            if (Refuse)
            {
                throw new SyncUnauthorizedException("The change feed answered HTTP 401");
            }

            CancellationToken dropped;
            lock (_gate)
            {
                dropped = _feeds.Token;
            }

            using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, dropped);
            IAsyncEnumerator<ChangeEvent> events = inner.FollowAsync(resource, afterSequence, clientId, connection.Token).GetAsyncEnumerator(connection.Token);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            yield break;
                        }
                    }
                    catch (OperationCanceledException) when (dropped.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        yield break;
                    }

                    yield return events.Current;
                }
            }
            finally
            {
                await events.DisposeAsync();
            }
        }

        private (int Lists, int Follows, long From) Calls(string resource)
        {
            lock (_gate)
            {
                return _calls.GetValueOrDefault(resource);
            }
        }

        private void Record(string resource, bool list, long from)
        {
            lock (_gate)
            {
                (int lists, int follows, long last) = _calls.GetValueOrDefault(resource);
                _calls[resource] = list ? (lists + 1, follows, last) : (lists, follows + 1, from);
            }
        }
    }
}
