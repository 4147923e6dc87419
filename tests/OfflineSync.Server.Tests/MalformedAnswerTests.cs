using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using OfflineSync.Http;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>Answers that do not follow the protocol become results, never exceptions in the drain (S9, F1).</summary>
public sealed class MalformedAnswerTests
{
    private const string Html = "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>";

    private static readonly Mutations M = new();

    private static OutgoingMutation Create() => M.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "x" });

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(500)]
    public async Task HtmlErrorPage5xx_TransientWithStatusAndExcerpt(int status)
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(status, "text/html", Html);
        using var transport = new HttpSyncTransport(fake.Address);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Contains($"HTTP {status}", transient.Error, StringComparison.Ordinal);
        Assert.Contains("<title>502 Bad Gateway</title>", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlPageWith200_TransientNotApplied()
    {
        // A captive portal answers 200 with HTML: nothing was applied.
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(200, "text/html", Html);
        using var transport = new HttpSyncTransport(fake.Address);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Contains("HTTP 200", transient.Error, StringComparison.Ordinal);
        Assert.Contains("Bad Gateway", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlPage4xx_RejectedWithStatusAndExcerpt()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(403, "text/html", "<html><body>Forbidden by proxy</body></html>");
        using var transport = new HttpSyncTransport(fake.Address);

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Equal(403, rejected.Status);
        Assert.Contains("Forbidden by proxy", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedJsonEntity_Transient()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(201, "application/json", "{\"id\":\"abc\",\"na", r => r.Headers["X-Sync-Key"] = "abc");
        using var transport = new HttpSyncTransport(fake.Address);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Contains("{\"id\":\"abc\",\"na", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedBatchAnswer_TransientForTheHead()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(200, "application/json", "{\"results\":[{\"status\":201,\"key\":\"a\",\"data\":{\"id\":\"a\"}},{\"stat");
        using var transport = new HttpSyncTransport(fake.Address);

        PushResult result = Assert.Single(await transport.PushAsync([Create(), Create()], default));

        Assert.Contains("not a batch answer", Assert.IsType<PushResult.Transient>(result).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchAnswerWithTooManyResults_Transient()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(200, "application/json",
            "{\"results\":[{\"status\":204,\"key\":\"a\"},{\"status\":204,\"key\":\"b\"},{\"status\":204,\"key\":\"c\"}]}");
        using var transport = new HttpSyncTransport(fake.Address);

        Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create(), Create()], default)));
    }

    [Fact]
    public async Task TooManyRequests_TransientWithRetryAfter()
    {
        // S9: Retry-After honoured.
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(429, "application/problem+json",
            "{\"type\":\"urn:x:slow-down\",\"title\":\"Slow down\",\"status\":429}", r => r.Headers.RetryAfter = "7");
        using var transport = new HttpSyncTransport(fake.Address);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Equal(TimeSpan.FromSeconds(7), transient.RetryAfter);
        Assert.Contains("Slow down", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestTimeout408_Transient()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(408, "text/plain", "timeout");
        using var transport = new HttpSyncTransport(fake.Address);

        Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));
    }

    [Fact]
    public async Task ConnectionRefused_Transient()
    {
        // F1: a network failure is a result, not an exception.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var transport = new HttpSyncTransport(new Uri($"http://127.0.0.1:{port}/"));

        PushResult result = Assert.Single(await transport.PushAsync([Create(), Create()], default));

        Assert.Contains("failed", Assert.IsType<PushResult.Transient>(result).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionDroppedBeforeAnswer_Transient()
    {
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var transport = new HttpSyncTransport(fake.Address);

        Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));
    }

    [Fact]
    public async Task ClientTimeout_TransientNotCancellation()
    {
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var client = new HttpClient { BaseAddress = fake.Address, Timeout = TimeSpan.FromMilliseconds(200) };
        var transport = new HttpSyncTransport(client);

        PushResult.Transient transient = Assert.IsType<PushResult.Transient>(Assert.Single(await transport.PushAsync([Create()], default)));

        Assert.Contains("timed out", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellation_Throws()
    {
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var transport = new HttpSyncTransport(fake.Address);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.PushAsync([Create()], cts.Token));
    }

    [Fact]
    public async Task Feed_UnknownEventTypeSkipped_MalformedEventEndsFeedWithHttpRequestException()
    {
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(
                "id: 1\nevent: added\ndata: {\"key\":\"a\",\"version\":\"1\",\"data\":{\"id\":\"a\"}}\n\n" +
                "id: 2\nevent: teleported\ndata: {\"key\":\"a\"}\n\n" +
                "id: 3\nevent: changed\ndata: {\"key\":\"a\",\"data\":{\"id\":\n\n");
        });
        using var transport = new HttpSyncTransport(fake.Address);
        var received = new List<ChangeEvent>();

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChangeEvent e in transport.FollowAsync("folders", 0, "client-a", default))
            {
                received.Add(e);
            }
        });

        ChangeEvent only = Assert.Single(received);
        Assert.Equal((ChangeKind.Added, 1L, "a"), (only.Kind, only.Sequence, only.Key));
        Assert.Contains("id 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_SilentPastTheIdleTimeout_EndsWithTimeoutException()
    {
        // A half-open connection (a sleeping laptop, a dropped Wi-Fi) sends no heartbeat: the feed must not hang "live" forever.
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(": hello\n\nid: 1\nevent: added\ndata: {\"key\":\"a\",\"version\":\"1\",\"data\":{\"id\":\"a\"}}\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var transport = new HttpSyncTransport(fake.Address, new HttpSyncTransportOptions { FeedIdleTimeout = TimeSpan.FromMilliseconds(300) });
        var received = new List<ChangeEvent>();

        var error = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (ChangeEvent e in transport.FollowAsync("folders", 0, "client-a", default))
            {
                received.Add(e);
            }
        });

        Assert.Equal("a", Assert.Single(received).Key);
        Assert.Contains("heartbeat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeedIdleTimeout_ZeroOrNegative_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpSyncTransport(new Uri("http://127.0.0.1:1/"), new HttpSyncTransportOptions { FeedIdleTimeout = TimeSpan.Zero }));

    [Fact]
    public async Task Feed_HtmlInsteadOfEventStream_HttpRequestExceptionWithExcerpt()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(200, "text/html", Html);
        using var transport = new HttpSyncTransport(fake.Address);

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChangeEvent _ in transport.FollowAsync("folders", 0, "client-a", default))
            {
            }
        });

        Assert.Contains("Bad Gateway", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_SendsLastEventIdWhenResuming()
    {
        string? seen = null;
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(context =>
        {
            seen = context.Request.Headers["Last-Event-ID"];
            context.Response.ContentType = "text/event-stream";
            return Task.CompletedTask;
        });
        using var transport = new HttpSyncTransport(fake.Address);

        await foreach (ChangeEvent _ in transport.FollowAsync("folders", 42, "client-a", default))
        {
        }

        Assert.Equal("42", seen);
    }

    [Fact]
    public async Task List_TruncatedJson_HttpRequestExceptionWithExcerpt()
    {
        await using FakeEndpoint fake = await FakeEndpoint.RespondAsync(200, "application/json", "{\"items\":[{\"key\":\"a\"");
        using var transport = new HttpSyncTransport(fake.Address);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => transport.ListAsync("folders", null, 10, "client-a", default));

        Assert.Contains("{\"items\":[{\"key\":\"a\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthHeader_DelegatingHandlerSeesEveryRequest()
    {
        // The auth hook: a DelegatingHandler in the HttpClient passed to the transport.
        var headers = new List<string?>();
        await using FakeEndpoint fake = await FakeEndpoint.StartAsync(async context =>
        {
            headers.Add(context.Request.Headers.Authorization);
            context.Response.StatusCode = 204;
            context.Response.Headers["X-Sync-Key"] = "k";
            await Task.CompletedTask;
        });
        using var client = new HttpClient(new BearerHandler("secret") { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = fake.Address };
        var transport = new HttpSyncTransport(client);

        await transport.PushAsync([M.Delete<Folder>("k")], default);
        await transport.PushAsync([M.Delete<Folder>("k"), M.Delete<Folder>("l")], default);

        Assert.Equal(["Bearer secret", "Bearer secret"], headers);
    }

    private sealed class BearerHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
