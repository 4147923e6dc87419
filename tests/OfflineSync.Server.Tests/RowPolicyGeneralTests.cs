using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;

namespace OfflineSync.Server.Tests;

/// <summary>The general row policy (<see cref="SyncRowPolicy{T}"/>): access keys of the app's choosing, evaluated in the store, and a write decision of its own.</summary>
public sealed class RowPolicyGeneralTests : IAsyncLifetime
{
    private SignedInServer _server = null!;

    public async Task InitializeAsync() => _server = await SignedInServer.StartAsync(static app =>
    {
        app.MapSyncResource<Category>().RequireAuthorization().WithRowPolicy(new TeamPolicy());
        app.MapSyncResource<Todo>().RequireAuthorization();
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TeamKeys_MembersReadTheirTeamsRows_AdminsReadAll_OnlyOwnersAndAdminsWrite()
    {
        HttpClient carol = _server.HttpFor("carol", new Claim("team", "red"));
        HttpClient dave = _server.HttpFor("dave", new Claim("team", "blue"));
        HttpClient erin = _server.HttpFor("erin", new Claim("team", "red"));
        HttpClient admin = _server.HttpFor("root", new Claim(ClaimTypes.Role, "admin"));
        string red = await CreateAsync(carol, """{"name":"Red plans","sharedWith":["red"]}""");
        string blue = await CreateAsync(dave, """{"name":"Blue plans","sharedWith":["blue"]}""");
        string mine = await CreateAsync(dave, """{"name":"Dave's own"}""");

        Assert.Equal([red], await KeysAsync(erin));
        Assert.Equal(new[] { blue, mine }.Order(), await KeysAsync(dave));
        Assert.Equal(new[] { red, blue, mine }.Order(), await KeysAsync(admin));

        // Erin reads the red row but did not create it; the admin may change anything.
        using (HttpResponseMessage refused = await erin.PatchAsync($"sync/categories/{red}", Json("""{"name":"Erin's"}""")))
        {
            await Raw.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        }

        using HttpResponseMessage moved = await admin.PatchAsync($"sync/categories/{red}", Json("""{"sharedWith":["blue"]}"""));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Empty(await KeysAsync(erin));
        Assert.Equal(new[] { red, blue, mine }.Order(), await KeysAsync(dave));
    }

    private static async Task<string> CreateAsync(HttpClient client, string json)
    {
        using HttpResponseMessage response = await client.PostAsync("sync/categories", Json(json));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using JsonDocument created = JsonDocument.Parse(body);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> KeysAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("sync/categories");
        using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("items").EnumerateArray().Select(static i => i.GetProperty("key").GetString()!).Order().ToList();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Rows are read by their owner and by the teams in <see cref="Category.SharedWith"/>; admins read every row.</summary>
    private sealed class TeamPolicy : SyncRowPolicy<Category>
    {
        public override IReadOnlyCollection<string>? GetReadKeys(ClaimsPrincipal user)
        {
            if (user.IsInRole("admin"))
            {
                return null;
            }

            var keys = new List<string>();
            if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
            {
                keys.Add("user:" + id);
            }

            keys.AddRange(user.FindAll("team").Select(static t => "team:" + t.Value));
            return keys;
        }

        public override string? GetOwner(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

        public override IEnumerable<string> GetRowKeys(Category row, string? owner) =>
            row.SharedWith.Select(static team => "team:" + team).Append("user:" + owner);

        public override bool CanWrite(ClaimsPrincipal user, SyncRowWrite<Category> write) =>
            user.IsInRole("admin") || (write.Owner is not null && write.Owner == user.FindFirstValue(ClaimTypes.NameIdentifier));
    }
}
