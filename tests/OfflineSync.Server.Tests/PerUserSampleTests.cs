using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TodoApp.Model;
using TodoApp.Server;

namespace OfflineSync.Server.Tests;

/// <summary>The TodoApp sample server for signed-in users (<c>--jwt-key</c>): each user's todos, and a category shared with the other.</summary>
public sealed class PerUserSampleTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinesync-per-user-").FullName;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _app = await PerUserTodoServer.StartAsync(Path.Combine(_directory, "todo.db"), _key);
        _address = PerUserTodoServer.AddressOf(_app);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EachUserSeesTheirOwnTodos_AndTheCategoryAnotherUserSharedWithThem()
    {
        using HttpClient alice = Client("alice"), bob = Client("bob");
        string shared = await CreateAsync(alice, "categories", """{"name":"Household","sharedWith":["bob"]}""");
        await CreateAsync(alice, "categories", """{"name":"Alice's secrets"}""");
        await CreateAsync(alice, "todos", $$"""{"title":"Buy milk","categoryId":"{{shared}}"}""");
        await CreateAsync(bob, "todos", $$"""{"title":"Fix the sink","categoryId":"{{shared}}"}""");

        Assert.Equal(["Buy milk"], await ValuesAsync(alice, "todos", "title"));
        Assert.Equal(["Fix the sink"], await ValuesAsync(bob, "todos", "title"));
        Assert.Equal(["Alice's secrets", "Household"], await ValuesAsync(alice, "categories", "name"));
        Assert.Equal(["Household"], await ValuesAsync(bob, "categories", "name"));

        using HttpResponseMessage anonymous = await new HttpClient { BaseAddress = _address }.GetAsync("sync/todos");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task RowPolicies_OnePerResource_SharesNeedAnOwner()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddOfflineSyncServer(o => o.UseSqlite(Path.Combine(_directory, "builder.db")));
        await using WebApplication app = builder.Build();

        InvalidOperationException noOwner = Assert.Throws<InvalidOperationException>(() => app.MapSyncResource<Model.Note>().SharedWith(static _ => []));
        Assert.Contains("OwnedBy", noOwner.Message, StringComparison.Ordinal);
        SyncResourceBuilder<Model.Folder> folders = app.MapSyncResource<Model.Folder>().OwnedBy(static user => user.Identity?.Name);
        Assert.Throws<InvalidOperationException>(() => folders.OwnedBy(static user => user.Identity?.Name));
    }

    private HttpClient Client(string user)
    {
        string token = PerUserTodoServer.CreateToken(_key, user, DateTimeOffset.UtcNow.AddHours(1));
        var client = new HttpClient { BaseAddress = _address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> CreateAsync(HttpClient client, string resource, string json)
    {
        using HttpResponseMessage response = await client.PostAsync("sync/" + resource, new StringContent(json, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using JsonDocument created = JsonDocument.Parse(body);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> ValuesAsync(HttpClient client, string resource, string field)
    {
        using HttpResponseMessage response = await client.GetAsync("sync/" + resource);
        using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("data").GetProperty(field).GetString()!).Order(StringComparer.Ordinal).ToList();
    }
}
