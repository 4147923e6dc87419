using System.Net;
using System.Text;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task Create_RepeatedIdempotencyKey_ReplaysSameAnswerAndCreatesOneRow()
    {
        // DESIGN §6: stored key → response, replayed with Idempotent-Replayed: true.
        await using TestServer server = await TestServer.StartAsync();
        OutgoingMutation create = new Mutations().Create(new Folder { Id = OptimisticKeys.NewString(), Name = "Work" });

        PushResult.Applied first = Results.Single(await server.Transport.PushAsync([create], default));
        PushResult.Applied second = Results.Single(await server.Transport.PushAsync([create], default));

        Assert.Equal((first.ServerKey, first.Version), (second.ServerKey, second.Version));
        Assert.Equal(first.State.ToArray(), second.State.ToArray());
        Assert.Single(await Results.ListAllAsync(server.Transport, "folders"));

        using HttpResponseMessage replay = await PostRawAsync(server, create);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        Assert.Single(await Results.ListAllAsync(server.Transport, "folders"));
    }

    [Fact]
    public async Task Create_FirstAnswer_HasNoReplayHeader()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await PostRawAsync(server, new Mutations().Create(new Folder { Id = OptimisticKeys.NewString(), Name = "x" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task SameKey_DifferentBody_Rejected422()
    {
        await using TestServer server = await TestServer.StartAsync();
        OutgoingMutation create = new Mutations().Create(new Folder { Id = OptimisticKeys.NewString(), Name = "a" });
        Results.Single(await server.Transport.PushAsync([create], default));

        OutgoingMutation changed = create with { Payload = Encoding.UTF8.GetBytes("{\"id\":\"" + create.Key + "\",\"name\":\"b\"}") };
        PushResult result = Assert.Single(await server.Transport.PushAsync([changed], default));

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(result);
        Assert.Equal(422, rejected.Status);
        Assert.Contains("idempotency_key_reused", rejected.Error, StringComparison.Ordinal);
        Assert.Single(await Results.ListAllAsync(server.Transport, "folders"));
    }

    [Fact]
    public async Task Batch_RetriedAfterLostAnswer_ReplaysEveryItemWithoutDuplicates()
    {
        // A batch applied once whose answer was lost is sent again as is.
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        string folder = OptimisticKeys.NewString();
        OutgoingMutation[] batch =
        [
            mutations.Create(new Folder { Id = folder, Name = "f" }),
            mutations.Create(new Note { Id = OptimisticKeys.NewString(), Title = "n", FolderId = folder }),
        ];

        IReadOnlyList<PushResult> first = await server.Transport.PushAsync(batch, default);
        IReadOnlyList<PushResult> again = await server.Transport.PushAsync(batch, default);

        Assert.Equal(first.Select(r => Results.Applied(r).ServerKey), again.Select(r => Results.Applied(r).ServerKey));
        Assert.Single(await Results.ListAllAsync(server.Transport, "folders"));
        Assert.Single(await Results.ListAllAsync(server.Transport, "notes"));
    }

    [Fact]
    public async Task SingleThenBatch_SameKey_ReplaysAcrossEndpoints()
    {
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        OutgoingMutation create = mutations.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "a" });
        PushResult.Applied single = Results.Single(await server.Transport.PushAsync([create], default));

        IReadOnlyList<PushResult> batch = await server.Transport.PushAsync([create, mutations.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "b" })], default);

        Assert.Equal(single.ServerKey, Results.Applied(batch[0]).ServerKey);
        Assert.Equal(2, (await Results.ListAllAsync(server.Transport, "folders")).Count);
    }

    [Fact]
    public async Task FailedAnswer_IsNotStored_RetrySucceedsOnceTheCauseIsGone()
    {
        // Only 2xx answers are stored: a 404 for an update is not replayed after the row appears.
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        OutgoingMutation update = mutations.Update<Folder>("kept-key", new FolderPatch { Name = "renamed" });
        Assert.IsType<PushResult.Rejected>(Assert.Single(await server.Transport.PushAsync([update], default)));

        Results.Single(await server.Transport.PushAsync([mutations.Create(new Folder { Id = "kept-key", Name = "original" })], default));
        PushResult.Applied applied = Results.Single(await server.Transport.PushAsync([update], default));

        Assert.Equal("renamed", Results.Read<Folder>(applied.State).Name);
    }

    [Fact]
    public async Task ExpiredIdempotencyRecord_IsNotReplayed()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using TestServer server = await TestServer.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.IdempotencyRetention = TimeSpan.FromMinutes(5);
        });
        var mutations = new Mutations();
        Results.Single(await server.Transport.PushAsync([mutations.Create(new Folder { Id = "fixed", Name = "a" })], default));
        OutgoingMutation delete = mutations.Delete<Folder>("fixed");
        Results.Single(await server.Transport.PushAsync([delete], default));

        time.Advance(TimeSpan.FromMinutes(6));
        using HttpResponseMessage again = await SendRawAsync(server, HttpMethod.Delete, "sync/folders/fixed", delete.IdempotencyKey, null);

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task SameKey_TwoClients_EachAppliedOnceForItsOwnClient()
    {
        // DESIGN §6: records are kept per (client, key); the fingerprint includes the client.
        await using TestServer server = await TestServer.StartAsync();
        Results.Single(await server.Transport.PushAsync([new Mutations().Create(new Folder { Id = "doc", Name = "v1" })], default));

        using HttpResponseMessage byA = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/doc", "a", "{\"name\":\"a\"}", "shared-key");
        using HttpResponseMessage byB = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/doc", "b", "{\"name\":\"b\"}", "shared-key");
        using HttpResponseMessage againByA = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/doc", "a", "{\"name\":\"a\"}", "shared-key");
        using HttpResponseMessage otherBodyByB = await Raw.SendAsync(server, HttpMethod.Patch, "sync/folders/doc", "b", "{\"name\":\"c\"}", "shared-key");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (byA.StatusCode, byB.StatusCode, againByA.StatusCode));
        Assert.Equal(("\"2\"", "\"3\"", "\"2\""), (byA.Headers.ETag?.Tag, byB.Headers.ETag?.Tag, againByA.Headers.ETag?.Tag));
        Assert.False(byB.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(againByA.Headers.GetValues("Idempotent-Replayed")));
        await Raw.AssertProblemAsync(otherBodyByB, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(2, Raw.Count(server, "idempotency WHERE key = 'shared-key'"));
    }

    private static Task<HttpResponseMessage> PostRawAsync(TestServer server, OutgoingMutation create) =>
        SendRawAsync(server, HttpMethod.Post, "sync/" + create.Resource, create.IdempotencyKey, create.Payload.ToArray());

    private static async Task<HttpResponseMessage> SendRawAsync(TestServer server, HttpMethod method, string path, string idempotencyKey, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.Add("X-Client-Id", TestServer.ClientId); // records are the sending client's
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new("application/json");
        }

        return await server.Http.SendAsync(request);
    }
}
