using System.Net.Sockets;
using System.Text;
using OfflineSync.Http;

namespace OfflineSync.Tests.Http;

/// <summary>
/// Issue 11, the transport's side over real loopback sockets: every request carries the client's id, the
/// origin's client is read, connection resets of any exception type are transient, and no answer is read
/// beyond <see cref="HttpSyncTransportOptions.MaxResponseBytes"/>.
/// </summary>
public sealed class HttpTransportClientSideTests
{
    private const string ClientId = "client-b";

    private static OutgoingMutation Create() =>
        new("tags", MutationKind.Create, "optimistic_01HZX0000000000000000000T1", "optimistic_01HZX0000000000000000000T1",
            """{"id":"optimistic_01HZX0000000000000000000T1","label":"a"}"""u8.ToArray(), "tags:create:optimistic_01HZX0000000000000000000T1:client-b:1", null, ClientId);

    [Fact]
    public async Task ListAndFeed_SendTheClientId_AndReadTheOriginsClient()
    {
        // S3, S15: the server scopes origins by the X-Client-Id of list and feed requests; the client reads originClientId beside the origin.
        await using var server = new RawHttpServer(request => request.RequestLine.Contains("/events", StringComparison.Ordinal)
            ? RawHttpServer.Respond("200 OK", "id: 7\nevent: added\ndata: {\"key\":\"5\",\"originOptimisticKey\":\"-1\",\"originClientId\":\"client-b\",\"version\":\"1\",\"data\":{\"id\":5}}\n\n", "Content-Type: text/event-stream")
            : RawHttpServer.Respond("200 OK", """{"items":[{"key":"5","originOptimisticKey":"-1","originClientId":"client-b","version":"1","data":{"id":5}},{"key":"6","originOptimisticKey":null,"version":"1","data":{"id":6}}],"seq":7,"hasMore":false}""", "Content-Type: application/json"));
        using var transport = new HttpSyncTransport(server.Address);

        ListPage page = await transport.ListAsync("projects", null, 10, ClientId, default);
        var events = new List<ChangeEvent>();
        await foreach (ChangeEvent change in transport.FollowAsync("projects", 7, ClientId, default))
        {
            events.Add(change);
        }

        Assert.Equal([("-1", "client-b"), (null, null)], page.Items.Select(static i => (i.OriginOptimisticKey, i.OriginClientId)));
        ChangeEvent added = Assert.Single(events);
        Assert.Equal(("5", "-1", "client-b"), (added.Key, added.OriginOptimisticKey, added.OriginClientId));
        Assert.All(server.Requests, static r => Assert.Equal(ClientId, r.Header("X-Client-Id")));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task ConnectionReset_PushIsTransient_ListAndFeedThrowHttpRequestException()
    {
        // S9: a reset is transient whatever exception the runtime surfaces it as.
        await using var server = new RawHttpServer(static _ => null);
        using var transport = new HttpSyncTransport(server.Address);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));
        await Assert.ThrowsAsync<HttpRequestException>(() => transport.ListAsync("tags", null, 10, ClientId, default));
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChangeEvent _ in transport.FollowAsync("tags", 0, ClientId, default))
            {
            }
        });

        Assert.Contains("failed", transient.Error, StringComparison.Ordinal);
        Assert.Equal(ClientId, server.Requests[0].Header("X-Client-Id"));
    }

    [Fact]
    public async Task BareSocketExceptionFromTheConnection_PushIsTransient_ListThrowsHttpRequestException()
    {
        // S9 (issue 11): the runtime throws a bare SocketException when a new connection is reset before its endpoint is
        // read; the transport used to let it out, and the engine failed the mutation as Rejected.
        using var http = new HttpClient(new ThrowingHandler(new SocketException((int)SocketError.ConnectionReset))) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        using var transport = new HttpSyncTransport(http);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create(), Create()], default)));
        HttpRequestException listError = await Assert.ThrowsAsync<HttpRequestException>(() => transport.ListAsync("tags", null, 10, ClientId, default));
        HttpRequestException feedError = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChangeEvent _ in transport.FollowAsync("tags", 0, ClientId, default))
            {
            }
        });

        Assert.Contains(nameof(SocketException), transient.Error, StringComparison.Ordinal);
        Assert.IsType<SocketException>(listError.InnerException);
        Assert.IsType<SocketException>(feedError.InnerException);
    }

    [Fact]
    public async Task AnswerDeclaringMoreThanMaxResponseBytes_IsNotRead()
    {
        // Issue 11 (hostile server): Content-Length says 1 GB.
        await using var server = new RawHttpServer(static _ => async (stream, cancellationToken) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"items\":["u8.ToArray(), cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { MaxResponseBytes = 64 * 1024 });

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => transport.ListAsync("tags", null, 10, ClientId, default));
        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxResponseBytes", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerStreamingWithoutEnd_IsReadOnlyUpToMaxResponseBytes()
    {
        // Issue 11 (hostile server): no Content-Length and a body that never ends; the list stops reading at the limit.
        await using var server = new RawHttpServer(static _ => async (stream, cancellationToken) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"items\":["u8.ToArray(), cancellationToken);
            byte[] row = Encoding.UTF8.GetBytes("""{"key":"k","version":"1","data":{"id":"k","label":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}},""");
            while (!cancellationToken.IsCancellationRequested)
            {
                await stream.WriteAsync(row, cancellationToken);
            }
        });
        using var transport = new HttpSyncTransport(server.Address, new HttpSyncTransportOptions { MaxResponseBytes = 64 * 1024 });

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => transport.ListAsync("tags", null, 10, ClientId, default)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("MaxResponseBytes (65536)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerThatStallsInTheBody_PushIsTransientAndListTimesOut_AfterHttpClientTimeout()
    {
        // S9: answers are read as streams to bound them; HttpClient.Timeout still covers the whole answer, body included,
        // so a server that sends its headers and then nothing cannot hold the drain or a list.
        await using var server = new RawHttpServer(static _ => async (stream, cancellationToken) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"u8.ToArray(), cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMilliseconds(500) };
        using var transport = new HttpSyncTransport(http);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default).WaitAsync(TimeSpan.FromSeconds(60))));
        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => transport.ListAsync("tags", null, 10, ClientId, default).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("timed out", transient.Error, StringComparison.Ordinal);
        Assert.Contains("HttpClient.Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryAfterOfYears_IsPassedOnForTheEngineToCap()
    {
        // S9: the transport reports what the server asked; the engine caps it at SyncRetryOptions.MaxDelay.
        await using var server = new RawHttpServer(static _ => RawHttpServer.Respond("503 Service Unavailable", "", "Retry-After: 2147483647"));
        using var transport = new HttpSyncTransport(server.Address);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Equal(TimeSpan.FromSeconds(int.MaxValue), transient.RetryAfter);
    }

    [Fact]
    public void MaxResponseBytes_BelowOneKiB_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpSyncTransport(new Uri("http://127.0.0.1:9/"), new HttpSyncTransportOptions { MaxResponseBytes = 100 }));

    /// <summary>A connection whose every request fails with <paramref name="error"/>, as the socket layer throws it.</summary>
    private sealed class ThrowingHandler(Exception error) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(error);
    }
}
