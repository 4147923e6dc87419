using System.Net;
using System.Text;
using System.Text.Json;
using OfflineSync.Server.Tests.Infrastructure;

namespace OfflineSync.Server.Tests;

/// <summary>Every error is RFC 9457 problem details with a typed <c>type</c>.</summary>
public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task InvalidJsonBody_400InvalidBody()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await server.Http.PostAsync("sync/folders", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));

        await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_body");
    }

    [Fact]
    public async Task BodyOverLimit_413TooLarge()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxRequestBodySize = 1024);
        string body = "{\"id\":\"\",\"name\":\"" + new string('x', 4096) + "\"}";

        using HttpResponseMessage response = await server.Http.PostAsync("sync/folders", new StringContent(body, Encoding.UTF8, "application/json"));

        await Raw.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_413TooLarge()
    {
        // No Content-Length: the limit is enforced while reading.
        await using TestServer server = await TestServer.StartAsync(o => o.MaxRequestBodySize = 1024);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":\"\",\"name\":\"" + new string('x', 4096) + "\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/folders") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        await Raw.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task BatchWithTooManyMutations_400()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxBatchSize = 2);
        string item = "{\"resource\":\"folders\",\"kind\":\"create\",\"key\":\"\",\"data\":{\"id\":\"\",\"name\":\"a\"}}";

        using HttpResponseMessage response = await server.Http.PostAsync("sync/batch", new StringContent($"{{\"mutations\":[{item},{item},{item}]}}", Encoding.UTF8, "application/json"));

        await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_body");
    }

    [Fact]
    public async Task BatchItemForUnknownResource_ItemProblem404()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await server.Http.PostAsync("sync/batch", new StringContent(
            "{\"mutations\":[{\"resource\":\"ghosts\",\"kind\":\"delete\",\"key\":\"x\"}]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement result = Assert.Single(answer.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(404, result.GetProperty("status").GetInt32());
        Assert.Equal("urn:offlinesync:problem:unknown_resource", result.GetProperty("problem").GetProperty("type").GetString());
    }

    [Fact]
    public async Task BadIfMatch_400InvalidHeader()
    {
        await using TestServer server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "sync/folders/x");
        request.Headers.TryAddWithoutValidation("If-Match", "\"abc\"");

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        await Raw.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_header");
    }

    [Fact]
    public async Task GetMissingRow_404NotFound()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await server.Http.GetAsync("sync/folders/missing");

        await Raw.AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }
}
