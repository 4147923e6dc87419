using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>Authorization put on a resource's route group also holds for that resource's items in <c>POST /sync/batch</c>.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinesync-auth-").FullName;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = await LoopbackApp.StartAsync(
            services =>
            {
                services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("Test", null);
                services.AddAuthorization();
                services.AddOfflineSyncServer(o => o.DatabasePath = Path.Combine(_directory, "server.db"));
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapSyncResource<Folder>().RequireAuthorization();
                app.MapSyncResource<Note>();
                app.MapSyncResource<Ticket>().RequireAuthorization(policy => policy.RequireRole("admin"));
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
    public async Task Batch_ItemOfAProtectedResource_WithoutCredentials_401AndNothingApplied()
    {
        using HttpResponseMessage single = await _http.PostAsync("sync/folders", Json("""{"id":"f","name":"x"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, single.StatusCode);

        using HttpResponseMessage batch = await _http.PostAsync("sync/batch", Json(Batch("notes", "n1") + "," + Batch("folders", "f1")));

        Assert.Equal(HttpStatusCode.Unauthorized, batch.StatusCode);
        Assert.Equal("application/problem+json", batch.Content.Headers.ContentType?.MediaType);
        Assert.Contains("folders", await batch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using HttpResponseMessage notes = await _http.GetAsync("sync/notes");
        Assert.Contains("\"items\":[]", await notes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_ItemOfAResourceTheCallerMayNotWrite_403AndNothingApplied()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/batch") { Content = Json(Batch("notes", "n1") + "," + Batch("tickets", Guid.NewGuid().ToString())) };
        request.Headers.Add(HeaderAuthentication.Header, "alice");

        using HttpResponseMessage batch = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, batch.StatusCode);
        Assert.Contains("urn:offlinesync:problem:forbidden", await batch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await Raw.ProblemMutationAsync(batch)); // the first item of the resource the caller may not write
        using HttpResponseMessage notes = await _http.GetAsync("sync/notes");
        Assert.Contains("\"items\":[]", await notes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_OnlyUnprotectedResources_WithoutCredentials_Applied()
    {
        using HttpResponseMessage batch = await _http.PostAsync("sync/batch", Json(Batch("notes", "n1")));

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Contains("\"status\":201", await batch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_ItemOfAProtectedResource_WithCredentials_Applied()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/batch") { Content = Json(Batch("folders", "f1")) };
        request.Headers.Add(HeaderAuthentication.Header, "alice");

        using HttpResponseMessage batch = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Contains("\"status\":201", await batch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Batch(string resource, string key) =>
        $$$"""{"resource":"{{{resource}}}","kind":"create","key":"{{{key}}}","data":{"id":"{{{key}}}","name":"x","title":"x"}}""";

    private static StringContent Json(string itemsOrBody) =>
        new(itemsOrBody.StartsWith("{\"resource\"", StringComparison.Ordinal) ? "{\"mutations\":[" + itemsOrBody + "]}" : itemsOrBody, Encoding.UTF8, "application/json");

    /// <summary>Authenticates whoever names themselves in a header: enough to tell "signed in" from "not".</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Header = "X-Test-User";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string? user = Request.Headers[Header];
            if (string.IsNullOrEmpty(user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
