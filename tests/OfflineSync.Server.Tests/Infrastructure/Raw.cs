using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>Requests as any client could send them, and reads of what the server answered and stored, bypassing the transport.</summary>
public static class Raw
{
    /// <summary>Builds a request; <paramref name="json"/> goes out with <paramref name="contentType"/>.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? clientId = null, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (clientId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Client-Id", clientId);
        }

        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(TestServer server, HttpMethod method, string path, string? clientId = null, string? json = null, string? idempotencyKey = null, string? optimisticId = null)
    {
        using HttpRequestMessage request = Request(method, path, clientId, json);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (optimisticId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Optimistic-Id", optimisticId);
        }

        return await server.Http.SendAsync(request);
    }

    /// <summary>Reads the list of <paramref name="resource"/> as <paramref name="clientId"/> sees it: one JSON object per item.</summary>
    public static async Task<List<JsonElement>> ListAsync(TestServer server, string resource, string? clientId)
    {
        using HttpRequestMessage request = Request(HttpMethod.Get, $"sync/{resource}?limit=1000", clientId);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("items").EnumerateArray().Select(static e => e.Clone()).ToList();
    }

    /// <summary>Reads the first <paramref name="count"/> events of the feed as <paramref name="clientId"/> sees it: (event type, data).</summary>
    public static async Task<List<(string Type, JsonElement Data)>> FeedAsync(TestServer server, string resource, string? clientId, int count, long after = 0)
    {
        using HttpRequestMessage request = Request(HttpMethod.Get, $"sync/{resource}/events", clientId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (after > 0)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", after.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using HttpResponseMessage response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, JsonElement)>(count);
        string? type = null;
        while (events.Count < count)
        {
            string line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The feed ended early.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using JsonDocument data = JsonDocument.Parse(line["data: ".Length..]);
                events.Add((type!, data.RootElement.Clone()));
            }
        }

        return events;
    }

    /// <summary>
    /// Opens a feed as a client that then stops reading: a raw connection with a small receive buffer, of which only the
    /// answer's headers are read. Returns the connection (dispose it to leave) and the status line.
    /// </summary>
    public static async Task<(System.Net.Sockets.TcpClient Connection, string Head)> OpenUnreadFeedAsync(TestServer server, string resource, string clientId, long after = 0)
    {
        var tcp = new System.Net.Sockets.TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(IPAddress.Loopback, server.Host.Address.Port);
        string resume = after > 0 ? $"Last-Event-ID: {after}\r\n" : "";
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET /sync/{resource}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client-Id: {clientId}\r\n{resume}Accept: text/event-stream\r\n\r\n"));
        var head = new StringBuilder();
        byte[] one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await tcp.GetStream().ReadAsync(one, timeout.Token) == 1)
        {
            head.Append((char)one[0]);
        }

        return (tcp, head.ToString());
    }

    public static string? OptionalString(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;

    /// <summary>Asserts an RFC 9457 answer with the given status and <c>urn:offlinesync:problem:{code}</c>; returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.Equal("urn:offlinesync:problem:" + code, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        string detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.False(string.IsNullOrEmpty(detail));
        return detail;
    }

    /// <summary>The <c>mutation</c> member of a problem that refused a whole batch: the index of the mutation it names.</summary>
    public static async Task<int> ProblemMutationAsync(HttpResponseMessage response)
    {
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("mutation").GetInt32();
    }

    /// <summary>Counts the rows of a table of the server's store, read beside the running server.</summary>
    public static long Count(TestServer server, string table) => server.Count(table);
}
