using System.Net;
using OfflineSync.Http;

namespace OfflineSync.Tests.Http;

/// <summary>
/// Issue 12, the transport's side over real loopback sockets: the token goes on every request, whether the transport's
/// <see cref="HttpSyncTransportOptions.TokenProvider"/> or a handler of the <see cref="HttpClient"/> sets it; a 401 is
/// sent once more with a refreshed token, then reported as Unauthorized; a 403 is the mutation's own refusal.
/// </summary>
public sealed class TokenTransportTests
{
    private const string ClientId = "client-a";
    private const string Problem401 = """{"type":"urn:offlinesync:problem:unauthorized","title":"Authentication is required.","status":401}""";

    [Fact]
    public async Task TokenProvider_EveryRequestCarriesTheToken_A401IsSentOnceMoreWithARefreshedToken()
    {
        await using var server = new RawHttpServer(AcceptOnly("Bearer fresh"));
        var tokens = new TokenSource("stale");
        using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { TokenProvider = tokens });

        PushResult pushed = Assert.Single(await transport.PushAsync([Create("t1")], default));
        ListPage page = await transport.ListAsync("tags", null, 10, ClientId, default);
        List<ChangeEvent> events = await FollowAllAsync(transport);

        Assert.Equal("t1", Assert.IsType<PushResult.Applied>(pushed).ServerKey);
        Assert.Empty(page.Items);
        Assert.Single(events);
        Assert.Equal(["Bearer stale", "Bearer fresh", "Bearer fresh", "Bearer fresh"], server.Requests.Select(static r => r.Header("Authorization")));
        Assert.Equal([false, true, false, false], tokens.Calls);
    }

    [Fact]
    public async Task TokenProviderWithAnotherScheme_SetsThatScheme()
    {
        await using var server = new RawHttpServer(AcceptOnly("DPoP fresh"));
        using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { TokenProvider = new TokenSource("fresh"), AuthenticationScheme = "DPoP" });

        Assert.IsType<PushResult.Applied>(Assert.Single(await transport.PushAsync([Create("t1")], default)));
        Assert.Equal("DPoP fresh", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Still401AfterTheRefresh_PushIsUnauthorized_ListAndFeedThrowSyncUnauthorizedException()
    {
        // One refresh per call, never a loop: two requests each.
        await using var server = new RawHttpServer(AcceptOnly("Bearer never"));
        var tokens = new TokenSource("stale") { Refreshed = "still-stale" };
        using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { TokenProvider = tokens });

        PushResult.Unauthorized refused = Assert.IsType<PushResult.Unauthorized>(Assert.Single(await transport.PushAsync([Create("t1")], default)));
        SyncUnauthorizedException list = await Assert.ThrowsAsync<SyncUnauthorizedException>(() => transport.ListAsync("tags", null, 10, ClientId, default));
        SyncUnauthorizedException feed = await Assert.ThrowsAsync<SyncUnauthorizedException>(() => FollowAllAsync(transport));

        Assert.Contains("HTTP 401", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Authentication is required.", refused.Error, StringComparison.Ordinal);
        Assert.Contains("401", list.Message, StringComparison.Ordinal);
        Assert.Contains("401", feed.Message, StringComparison.Ordinal);
        Assert.Equal(6, server.Requests.Count);
        Assert.Equal([false, true, false, true, false, true], tokens.Calls);
    }

    [Fact]
    public async Task TokenProviderThatFails_IsUnauthorizedWithItsError_ItsConnectionErrorIsTransient()
    {
        // A refresh token the identity provider revoked needs the user; an identity provider out of reach is retried.
        await using var server = new RawHttpServer(AcceptOnly("Bearer fresh"));
        var revoked = new TokenSource("stale") { Failure = new InvalidOperationException("invalid_grant: the refresh token was revoked") };
        var unreachable = new TokenSource("stale") { Failure = new HttpRequestException("No route to the identity provider") };
        using var refusing = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { TokenProvider = revoked });
        using var waiting = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { TokenProvider = unreachable });

        PushResult.Unauthorized refused = Assert.IsType<PushResult.Unauthorized>(Assert.Single(await refusing.PushAsync([Create("t1")], default)));
        SyncUnauthorizedException list = await Assert.ThrowsAsync<SyncUnauthorizedException>(() => refusing.ListAsync("tags", null, 10, ClientId, default));
        PushResult transient = Assert.Single(await waiting.PushAsync([Create("t1")], default));

        Assert.Contains("invalid_grant", refused.Error, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(list.InnerException);
        Assert.IsType<PushResult.Transient>(transient);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SyncTokenHandler_InTheHttpClient_BehavesLikeTheOption()
    {
        await using var server = new RawHttpServer(AcceptOnly("Bearer fresh"));
        var tokens = new TokenSource("stale");
        using var http = new HttpClient(new SyncTokenHandler(tokens) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = server.Address };
        using var transport = new HttpSyncTransport(http);

        PushResult pushed = Assert.Single(await transport.PushAsync([Create("t1")], default));
        await transport.ListAsync("tags", null, 10, ClientId, default);

        Assert.IsType<PushResult.Applied>(pushed);
        Assert.Equal(["Bearer stale", "Bearer fresh", "Bearer fresh"], server.Requests.Select(static r => r.Header("Authorization")));
        Assert.Equal([false, true, false], tokens.Calls);
    }

    [Fact]
    public async Task HandlerOfTheApp_SeesRefreshCredentialsOnTheReSendOnly_AndA401IsTreatedTheSame()
    {
        await using var server = new RawHttpServer(AcceptOnly("Bearer never"));
        var handler = new RecordingHandler { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        using var transport = new HttpSyncTransport(http);

        PushResult pushed = Assert.Single(await transport.PushAsync([Create("t1")], default));
        await Assert.ThrowsAsync<SyncUnauthorizedException>(() => FollowAllAsync(transport));

        Assert.IsType<PushResult.Unauthorized>(pushed);
        Assert.Equal([false, true, false, true], handler.Refreshes);
    }

    [Fact]
    public async Task ForcedRefreshesThatOverlap_AreJoinedIntoOneCall()
    {
        // The drain and every feed get a 401 when a token expires: a rotating refresh token must be used once.
        var tokens = new TokenSource("stale") { RefreshGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var authorizer = new TokenAuthorizer(tokens, "Bearer");
        using var first = new HttpRequestMessage();
        using var second = new HttpRequestMessage();

        Task one = authorizer.AuthorizeAsync(first, refresh: true, default).AsTask();
        Task two = authorizer.AuthorizeAsync(second, refresh: true, default).AsTask();
        tokens.RefreshGate.SetResult();
        await Task.WhenAll(one, two);

        Assert.Equal([true], tokens.Calls);
        Assert.Equal(("fresh", "fresh"), (first.Headers.Authorization?.Parameter, second.Headers.Authorization?.Parameter));
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"mutation\":99")] // hostile or broken: an index past the batch
    [InlineData(",\"mutation\":-1")]
    [InlineData(",\"mutation\":\"2\"")]
    public async Task BatchRefused403AsAWhole_IsHalvedUntilItLandsOnTheRefusedMutation_WhichSaysSo(string mutation)
    {
        // S9: the server names no item (or none the batch has) when it refuses a batch; the mutations before the refused
        // one still go through.
        string refusal = $$"""{"type":"urn:offlinesync:problem:forbidden","title":"The caller may not write this resource.","status":403{{mutation}}}""";
        await using var server = new RawHttpServer(request => request.RequestLine.StartsWith("POST /sync/batch", StringComparison.Ordinal)
            ? request.Body.Contains("\"categories\"", StringComparison.Ordinal)
                ? RawHttpServer.Respond("403 Forbidden", refusal, "Content-Type: application/problem+json")
                : RawHttpServer.Respond("200 OK", """{"results":[{"status":201,"key":"t1","version":"1","data":{"id":"t1"}}]}""", "Content-Type: application/json")
            : RawHttpServer.Respond("403 Forbidden", refusal, "Content-Type: application/problem+json"));
        using var transport = new HttpSyncTransport(server.Address);
        OutgoingMutation category = Create("c1") with { Resource = "categories" };

        IReadOnlyList<PushResult> first = await transport.PushAsync([Create("t1"), Create("t2"), category], default);
        PushResult alone = Assert.Single(await transport.PushAsync([category], default));

        Assert.Equal("t1", Assert.IsType<PushResult.Applied>(Assert.Single(first)).ServerKey);
        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(alone);
        Assert.Equal((int)HttpStatusCode.Forbidden, rejected.Status);
        Assert.Contains("access rules refused this mutation (HTTP 403 Forbidden)", rejected.Error, StringComparison.Ordinal);
        Assert.Equal(["POST /sync/batch", "POST /sync/batch", "POST /sync/categories"], server.Requests.Select(static r => r.RequestLine[..r.RequestLine.LastIndexOf(' ')]));
    }

    [Fact]
    public async Task BatchRefused403NamingTheMutation_SendsTheOnesBeforeIt_InOneMoreRequest()
    {
        // S9: the server names the refused mutation by its index: two requests instead of halving (log n of them).
        await using var server = new RawHttpServer(static request =>
        {
            if (request.Body.Contains("\"t5\"", StringComparison.Ordinal))
            {
                return RawHttpServer.Respond("403 Forbidden", """{"type":"urn:offlinesync:problem:forbidden","title":"Forbidden","status":403,"detail":"Mutation 4: not yours.","mutation":4}""", "Content-Type: application/problem+json");
            }

            int count = request.Body.Split("\"kind\"").Length - 1;
            string results = string.Join(',', Enumerable.Range(1, count).Select(static i => $$$"""{"status":201,"key":"t{{{i}}}","version":"1","data":{"id":"t{{{i}}}"}}"""));
            return RawHttpServer.Respond("200 OK", $$$"""{"results":[{{{results}}}]}""", "Content-Type: application/json");
        });
        using var transport = new HttpSyncTransport(server.Address);

        IReadOnlyList<PushResult> results = await transport.PushAsync([.. Enumerable.Range(1, 8).Select(static i => Create($"t{i}"))], default);

        Assert.Equal(["t1", "t2", "t3", "t4"], results.Select(static r => Assert.IsType<PushResult.Applied>(r).ServerKey));
        Assert.Equal([8, 4], server.Requests.Select(static r => r.Body.Split("\"kind\"").Length - 1));
    }

    private static OutgoingMutation Create(string key) =>
        new("tags", MutationKind.Create, key, null, System.Text.Encoding.UTF8.GetBytes($$"""{"id":"{{key}}"}"""), $"tags:create:{key}:{ClientId}:1", null, ClientId);

    private static async Task<List<ChangeEvent>> FollowAllAsync(HttpSyncTransport transport)
    {
        var events = new List<ChangeEvent>();
        await foreach (ChangeEvent change in transport.FollowAsync("tags", 0, ClientId, default))
        {
            events.Add(change);
        }

        return events;
    }

    /// <summary>A server that answers 401 to any other <c>Authorization</c> than <paramref name="accepted"/>.</summary>
    private static Func<RawRequest, Func<Stream, CancellationToken, Task>?> AcceptOnly(string accepted) => request =>
        request.Header("Authorization") != accepted
            ? RawHttpServer.Respond("401 Unauthorized", Problem401, "Content-Type: application/problem+json", "WWW-Authenticate: Bearer")
            : request.RequestLine.Contains("/events", StringComparison.Ordinal)
                ? RawHttpServer.Respond("200 OK", "id: 1\nevent: added\ndata: {\"key\":\"t1\",\"version\":\"1\",\"data\":{\"id\":\"t1\"}}\n\n", "Content-Type: text/event-stream")
                : request.RequestLine.StartsWith("GET", StringComparison.Ordinal)
                    ? RawHttpServer.Respond("200 OK", """{"items":[],"seq":0,"hasMore":false}""", "Content-Type: application/json")
                    : RawHttpServer.Respond("201 Created", """{"id":"t1"}""", "Content-Type: application/json", "X-Sync-Key: t1", "ETag: \"1\"");

    /// <summary>A token provider whose forced refresh turns <see cref="Current"/> into <see cref="Refreshed"/>.</summary>
    private sealed class TokenSource(string current) : ISyncTokenProvider
    {
        private readonly List<bool> _calls = [];

        public string Current { get; private set; } = current;

        public string Refreshed { get; init; } = "fresh";

        public Exception? Failure { get; init; }

        public TaskCompletionSource? RefreshGate { get; init; }

        public IReadOnlyList<bool> Calls
        {
            get
            {
                lock (_calls)
                {
                    return _calls.ToArray();
                }
            }
        }

        public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            lock (_calls)
            {
                _calls.Add(forceRefresh);
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            if (forceRefresh)
            {
                if (RefreshGate is not null)
                {
                    await RefreshGate.Task;
                }

                Current = Refreshed;
            }

            return Current;
        }
    }

    /// <summary>An app's own handler: records whether each request asked it to refresh its credentials.</summary>
    private sealed class RecordingHandler : DelegatingHandler
    {
        public List<bool> Refreshes { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Refreshes)
            {
                Refreshes.Add(request.Options.TryGetValue(HttpSyncTransport.RefreshCredentialsOption, out bool refresh) && refresh);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
