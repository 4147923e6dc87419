using System.Net;
using System.Text.Json;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class ConflictTests
{
    [Fact]
    public async Task Update_StaleIfMatch_ConflictWithCurrentStateAndVersion()
    {
        // S10: 409 with the server's current state.
        await using TestServer server = await TestServer.StartAsync();
        var a = new Mutations("a");
        var b = new Mutations("b");
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([a.Create(new Note { Id = OptimisticKeys.NewString(), Title = "v1" })], default));
        Results.Single(await server.Transport.PushAsync([b.Update(created.ServerKey, new NotePatch { Title = "by b" }, created.Version)], default));

        PushResult result = Assert.Single(await server.Transport.PushAsync([a.Update(created.ServerKey, new NotePatch { Title = "by a" }, created.Version)], default));

        PushResult.Conflict conflict = Assert.IsType<PushResult.Conflict>(result);
        Assert.Equal("2", conflict.Version);
        Assert.Equal("by b", Results.Read<Note>(conflict.ServerState).Title);
        Assert.Contains("version_conflict", conflict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_StaleIfMatch_ConflictAndRowKept()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = OptimisticKeys.NewString(), Title = "x" })], default));
        Results.Single(await server.Transport.PushAsync([m.Update(created.ServerKey, new NotePatch { Title = "y" }, created.Version)], default));

        PushResult result = Assert.Single(await server.Transport.PushAsync([m.Delete<Note>(created.ServerKey, created.Version)], default));

        Assert.IsType<PushResult.Conflict>(result);
        Assert.Single(await Results.ListAllAsync(server.Transport, "notes"));
    }

    [Fact]
    public async Task Update_RowDeletedByOtherClient_ConflictWithoutState()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = OptimisticKeys.NewString(), Title = "x" })], default));
        Results.Single(await server.Transport.PushAsync([m.Delete<Note>(created.ServerKey)], default));

        PushResult.Conflict conflict = Assert.IsType<PushResult.Conflict>(Assert.Single(await server.Transport.PushAsync([m.Update(created.ServerKey, new NotePatch { Title = "y" }, created.Version)], default)));

        Assert.True(conflict.ServerState.IsEmpty);
        Assert.Null(conflict.Version);
    }

    [Fact]
    public async Task Conflict_IsProblemDetailsWithCurrentAndETag()
    {
        // RFC 9457 body for 409.
        await using TestServer server = await TestServer.StartAsync();
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([new Mutations().Create(new Note { Id = OptimisticKeys.NewString(), Title = "x" })], default));
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"sync/notes/{created.ServerKey}") { Content = new StringContent("{\"title\":\"y\"}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", "\"7\"");

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:offlinesync:problem:version_conflict", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(409, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("x", problem.RootElement.GetProperty("current").GetProperty("title").GetString());
    }
}
