using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>
/// <c>POST /sync/batch</c> holds each item to the conventions of its resource's own endpoints: host and CORS are
/// applied per item; endpoint filters and rate limiting, which the batch cannot run for an item, refuse the batch.
/// Never is a convention skipped.
/// </summary>
public sealed class BatchConventionTests : IAsyncLifetime
{
    private const string AllowedOrigin = "https://app.example.com";
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinesync-conventions-").FullName;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = await LoopbackApp.StartAsync(
            services =>
            {
                services.AddCors(o => o.AddPolicy("app", p => p.WithOrigins(AllowedOrigin).AllowAnyHeader().AllowAnyMethod()));
                services.AddRateLimiter(o => o.AddPolicy("one", _ => RateLimitPartition.GetNoLimiter("all")));
                services.AddOfflineSyncServer(o => o.DatabasePath = Path.Combine(_directory, "server.db"));
            },
            app =>
            {
                app.UseCors();
                app.UseRateLimiter();
                app.MapSyncResource<Note>();
                app.MapSyncResource<Folder>().AddEndpointFilter((context, next) => ValueTask.FromResult<object?>(Microsoft.AspNetCore.Http.Results.StatusCode(StatusCodes.Status418ImATeapot)));
                app.MapSyncResource<Counter>().RequireHost("sync.example.com");
                app.MapSyncResource<Badge>().RequireCors("app");
                app.MapSyncResource<Ticket>().RequireRateLimiting("one");
            });
        _http = LoopbackApp.ClientOf(_app);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EndpointFilters_TheBatchCannotRunThem_BatchRefusedAndNothingApplied()
    {
        using HttpResponseMessage single = await _http.PostAsync("sync/folders", Json("""{"id":"f","name":"x"}"""));
        Assert.Equal((HttpStatusCode)StatusCodes.Status418ImATeapot, single.StatusCode);

        using HttpResponseMessage batch = await _http.PostAsync("sync/batch", Json(Create("notes", "n1"), Create("folders", "f1")));

        string detail = await Raw.AssertProblemAsync(batch, HttpStatusCode.BadRequest, "batch_unsupported");
        Assert.Contains("endpoint filters", detail, StringComparison.Ordinal);
        Assert.Contains("folders", detail, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("notes"));
    }

    [Fact]
    public async Task RateLimiting_TheBatchCannotApplyIt_BatchRefused()
    {
        using HttpResponseMessage batch = await _http.PostAsync("sync/batch", Json(Create("tickets", Guid.NewGuid().ToString())));

        string detail = await Raw.AssertProblemAsync(batch, HttpStatusCode.BadRequest, "batch_unsupported");
        Assert.Contains("EnableRateLimitingAttribute", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireHost_ItemsReachTheResourceOnlyThroughItsHost()
    {
        using HttpResponseMessage direct = await _http.GetAsync("sync/counters");
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);

        using HttpResponseMessage elsewhere = await _http.PostAsync("sync/batch", Json(Create("notes", "n1"), Create("counters", "5")));
        await Raw.AssertProblemAsync(elsewhere, HttpStatusCode.NotFound, "unknown_resource");
        Assert.Equal(0, await CountAsync("notes"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/batch") { Content = Json(Create("counters", "5")) };
        request.Headers.Host = "sync.example.com";
        using HttpResponseMessage onItsHost = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, onItsHost.StatusCode);
        Assert.Contains("\"status\":201", await onItsHost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireCors_ACrossOriginItemNeedsAnOriginTheResourcesPolicyAllows()
    {
        using HttpResponseMessage refused = await SendFromAsync("https://evil.example.com", Create("badges", "7"));
        await Raw.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "cross_origin_refused");
        Assert.Equal(0, await CountAsync("badges"));

        using HttpResponseMessage allowed = await SendFromAsync(AllowedOrigin, Create("badges", "7"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("\"status\":201", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("badges"));
    }

    [Fact]
    public async Task ConventionsOfAGroupAroundTheBatchToo_RunForTheBatchItself_ItemsApplied()
    {
        int filtered = 0;
        await using WebApplication app = await LoopbackApp.StartAsync(
            services => services.AddOfflineSyncServer(o => o.DatabasePath = Path.Combine(_directory, "grouped.db")),
            app =>
            {
                RouteGroupBuilder api = app.MapGroup("/api");
                api.AddEndpointFilter((context, next) =>
                {
                    Interlocked.Increment(ref filtered);
                    return next(context);
                });
                api.MapSyncResource<Note>();
            });
        using HttpClient http = LoopbackApp.ClientOf(app);

        using HttpResponseMessage batch = await http.PostAsync("api/sync/batch", Json(Create("notes", "n1")));

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Contains("\"status\":201", await batch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, filtered);
        await app.StopAsync();
    }

    private async Task<HttpResponseMessage> SendFromAsync(string origin, string item)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/batch") { Content = Json(item) };
        request.Headers.Add("Origin", origin);
        return await _http.SendAsync(request);
    }

    private async Task<int> CountAsync(string resource)
    {
        using HttpResponseMessage list = await _http.GetAsync($"sync/{resource}");
        using var page = System.Text.Json.JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("items").GetArrayLength();
    }

    private static string Create(string resource, string key) =>
        $$$"""{"resource":"{{{resource}}}","kind":"create","data":{"id":"{{{key}}}","name":"x","title":"x"}}""";

    private static StringContent Json(params string[] items) =>
        new(items[0].StartsWith("{\"resource\"", StringComparison.Ordinal) ? "{\"mutations\":[" + string.Join(",", items) + "]}" : items[0], Encoding.UTF8, "application/json");
}
