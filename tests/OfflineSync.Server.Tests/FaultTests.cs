using System.Net;
using Microsoft.Extensions.Logging;
using OfflineSync.Server.Tests.Infrastructure;

namespace OfflineSync.Server.Tests;

/// <summary>What the server does when a client misbehaves at the HTTP level: no stack traces for a client's departure, problem details for every refusal.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task ClientHangsUpMidUpload_LoggedAtDebugWithoutStackTrace_No500()
    {
        // Issue 11 §4: a client that hangs up mid-upload was logged at Error with a stack trace and answered 500.
        await using LoggedServer server = await LoggedServer.StartAsync();

        await RawHttp.HangUpAfterAsync(server.Address,
            "POST /sync/folders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Client-Id: a\r\nContent-Length: 100000\r\n\r\n{\"id\":\"\",\"name\":\"");

        // Kestrel reports the cut-short body as a 400 refusal or, once it noticed the reset, as an aborted request: either way one line, no stack trace.
        LoggedServer.LogEntry departure = await EventuallyAsync(() => server.Logs.FirstOrDefault(e =>
            e.Message.Contains("the client went away", StringComparison.Ordinal) || e.Message.Contains("Unexpected end of request content", StringComparison.Ordinal)));
        Assert.InRange(departure.Level, LogLevel.Debug, LogLevel.Information);
        Assert.Null(departure.Exception);
        Assert.DoesNotContain(server.Logs, e => e.Category.StartsWith("OfflineSync", StringComparison.Ordinal) && (e.Level >= LogLevel.Warning || e.Exception is not null));
        Assert.DoesNotContain(500, server.Statuses);
    }

    [Fact]
    public async Task MalformedChunkedBody_Answered400ProblemDetails_LoggedWithoutStackTrace()
    {
        await using LoggedServer server = await LoggedServer.StartAsync();

        string answer = await RawHttp.ExchangeAsync(server.Address,
            "POST /sync/folders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Client-Id: a\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("urn:offlinesync:problem:bad_request", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs, e => e.Category.StartsWith("OfflineSync", StringComparison.Ordinal) && (e.Level >= LogLevel.Warning || e.Exception is not null));
    }

    [Fact]
    public async Task HeaderSentOnTwoLines_Refused400InvalidHeader()
    {
        // Kestrel joins repeated header lines; a client id sent twice is not one client.
        await using LoggedServer server = await LoggedServer.StartAsync();

        string answer = await RawHttp.ExchangeAsync(server.Address,
            "GET /sync/folders HTTP/1.1\r\nHost: localhost\r\nX-Client-Id: a\r\nX-Client-Id: b\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("urn:offlinesync:problem:invalid_header", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlOf20000Characters_414ProblemDetails()
    {
        // Kestrel's own 414 has no body; the server answers it as problem details.
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await server.Http.GetAsync("sync/folders/" + new string('k', 20_000));

        await Raw.AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "uri_too_long");
    }

    [Fact]
    public async Task HugeHeader_431ProblemDetails()
    {
        await using TestServer server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "sync/folders");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('p', 40_000));

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        await Raw.AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");
    }

    [Fact]
    public async Task UrlAndHeaderLimits_AreOptions()
    {
        await using TestServer server = await TestServer.StartAsync(o =>
        {
            o.MaxUrlLength = 2048;
            o.MaxRequestHeadersSize = 8 * 1024;
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "sync/folders");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('p', 9_000));

        using HttpResponseMessage longUrl = await server.Http.GetAsync("sync/folders/" + new string('k', 3_000));
        using HttpResponseMessage bigHeaders = await server.Http.SendAsync(request);
        using HttpResponseMessage withinLimits = await server.Http.GetAsync("sync/folders?after=" + new string('k', 200));

        await Raw.AssertProblemAsync(longUrl, HttpStatusCode.RequestUriTooLong, "uri_too_long");
        await Raw.AssertProblemAsync(bigHeaders, HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");
        Assert.Equal(HttpStatusCode.OK, withinLimits.StatusCode);
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
