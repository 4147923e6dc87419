using System.Net;
using System.Text.Json;
using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class ReferenceTests
{
    [Fact]
    public async Task Create_OptimisticReferenceOutsideBatch_Rejected400AndNothingStored()
    {
        // DESIGN §6: the server never stores an optimistic key.
        await using TestServer server = await TestServer.StartAsync();
        string folder = OptimisticKeys.NewString();

        PushResult result = Assert.Single(await server.Transport.PushAsync([new Mutations().Create(new Note { Id = OptimisticKeys.NewString(), FolderId = folder })], default));

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(result);
        Assert.Equal(400, rejected.Status);
        Assert.Contains("optimistic_reference", rejected.Error, StringComparison.Ordinal);
        Assert.Contains(folder, rejected.Error, StringComparison.Ordinal);
        Assert.Empty(await Results.ListAllAsync(server.Transport, "notes"));
    }

    [Fact]
    public async Task OptimisticReference_AnswerIsProblemDetails()
    {
        await using TestServer server = await TestServer.StartAsync();
        using var content = new StringContent("{\"id\":\"\",\"title\":\"t\",\"relatedIds\":[\"n1\",\"optimistic_01ARZ3NDEKTSV4RRFFQ69G5FAV\"]}", System.Text.Encoding.UTF8, "application/json");

        using HttpResponseMessage response = await server.Http.PostAsync("sync/notes", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:offlinesync:problem:optimistic_reference", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.Contains("optimistic_01ARZ3NDEKTSV4RRFFQ69G5FAV", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_PatchWithOptimisticReference_Rejected400()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        PushResult.Applied note = Results.Single(await server.Transport.PushAsync([m.Create(new Note { Id = OptimisticKeys.NewString(), Title = "t" })], default));

        PushResult result = Assert.Single(await server.Transport.PushAsync([m.Update(note.ServerKey, new NotePatch { FolderId = OptimisticKeys.NewString() })], default));

        Assert.Equal(400, Assert.IsType<PushResult.Rejected>(result).Status);
    }

    [Fact]
    public async Task Batch_ReferenceToOptimisticKeyCreatedEarlierInBatch_ResolvedToServerKey()
    {
        // DESIGN §6: in-batch optimistic references of the same client are resolved; S3: the create's result carries the mapping.
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        string folder = OptimisticKeys.NewString();
        string first = OptimisticKeys.NewString();
        string second = OptimisticKeys.NewString();
        OutgoingMutation[] batch =
        [
            m.Create(new Folder { Id = folder, Name = "Work" }),
            m.Create(new Note { Id = first, Title = "one", FolderId = folder }),
            m.Create(new Note { Id = second, Title = "two", RelatedIds = [first] }),
            m.Update(second, new NotePatch { FolderId = folder, Title = "two!" }),
        ];

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(batch, default);

        Assert.Equal(4, results.Count);
        string folderKey = Results.Applied(results[0]).ServerKey;
        string firstKey = Results.Applied(results[1]).ServerKey;
        string secondKey = Results.Applied(results[2]).ServerKey;
        Assert.Equal(secondKey, Results.Applied(results[3]).ServerKey);
        Note one = Results.Read<Note>(Results.Applied(results[1]).State);
        Note two = Results.Read<Note>(Results.Applied(results[3]).State);
        Assert.Equal(folderKey, one.FolderId);
        Assert.Equal([firstKey], two.RelatedIds);
        Assert.Equal(("two!", folderKey), (two.Title, two.FolderId));
        string stored = string.Join("\n", (await Results.ListAllAsync(server.Transport, "notes")).Select(r => System.Text.Encoding.UTF8.GetString(r.Data.Span)));
        Assert.DoesNotContain(OptimisticKeys.StringPrefix, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_ProposedKeyTakenAndReplaced_LaterItemsFollowTheNewRowNotTheTakenOne()
    {
        // S2: a taken proposed key is replaced; within the batch the client's key means its own new row.
        await using TestServer server = await TestServer.StartAsync();
        Results.Single(await server.Transport.PushAsync([new Mutations("other").Create(new Folder { Id = "f-1", Name = "theirs" })], default));
        var m = new Mutations();
        OutgoingMutation[] batch =
        [
            m.Create(new Folder { Id = "f-1", Name = "mine" }) with { OptimisticKey = "f-1" },
            m.Create(new Note { Id = OptimisticKeys.NewString(), Title = "n", FolderId = "f-1" }),
            m.Update("f-1", new FolderPatch { Name = "mine, renamed" }),
        ];

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(batch, default);

        string mine = Results.Applied(results[0]).ServerKey;
        Assert.NotEqual("f-1", mine);
        Assert.Equal(mine, Results.Read<Note>(Results.Applied(results[1]).State).FolderId);
        Assert.Equal(mine, Results.Applied(results[2]).ServerKey);
        Dictionary<string, string> names = (await Results.ListAllAsync(server.Transport, "folders")).ToDictionary(r => r.Key, r => Results.Read<Folder>(r.Data).Name);
        Assert.Equal("theirs", names["f-1"]);
        Assert.Equal("mine, renamed", names[mine]);
    }

    [Fact]
    public async Task OptimisticKeyOfAnotherClientsBatch_DoesNotResolve_Rejected400()
    {
        // Only the same client's creates of the same batch resolve (DESIGN §6).
        await using TestServer server = await TestServer.StartAsync();
        string folder = OptimisticKeys.NewString();
        Results.Single(await server.Transport.PushAsync([new Mutations("a").Create(new Folder { Id = folder, Name = "Work" })], default));
        var b = new Mutations("b");

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(
            [b.Create(new Note { Id = OptimisticKeys.NewString(), Title = "n" }), b.Create(new Note { Id = OptimisticKeys.NewString(), FolderId = folder })], default);

        Results.Applied(results[0]);
        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(results[1]);
        Assert.Equal(400, rejected.Status);
        Assert.Contains("optimistic_reference", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_MutationsOfTwoClients_RefusedAsAWholeNothingApplied()
    {
        // One request, one client: an item whose clientId is not the request's X-Client-Id refuses the batch.
        await using TestServer server = await TestServer.StartAsync();
        string folder = OptimisticKeys.NewString();
        OutgoingMutation[] batch =
        [
            new Mutations("a").Create(new Folder { Id = folder, Name = "Work" }),
            new Mutations("b").Create(new Note { Id = OptimisticKeys.NewString(), FolderId = folder }),
        ];

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(batch, default);

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(Assert.Single(results));
        Assert.Equal(400, rejected.Status);
        Assert.Contains("invalid_body", rejected.Error, StringComparison.Ordinal);
        Assert.Empty(await Results.ListAllAsync(server.Transport, "folders"));
        Assert.Empty(await Results.ListAllAsync(server.Transport, "notes"));
    }

    [Fact]
    public async Task Batch_NumericOptimisticReference_ResolvedToSequenceKey()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(
            [m.Create(new Counter { Id = -5, Name = "c" }), m.Create(new Badge { Id = -1, Name = "b", CounterId = -5 })], default);

        Badge badge = Results.Read<Badge>(Results.Applied(results[1]).State);
        Assert.Equal(long.Parse(Results.Applied(results[0]).ServerKey, System.Globalization.CultureInfo.InvariantCulture), badge.CounterId);
        Assert.True(badge.Id > 0);
    }

    [Fact]
    public async Task Reference_ServerKeyThatLooksOrdinary_KeptAsIs()
    {
        // S14 on the server: only optimistic-looking keys in declared slots are refused.
        await using TestServer server = await TestServer.StartAsync();

        PushResult.Applied applied = Results.Single(await server.Transport.PushAsync([new Mutations().Create(new Note { Id = OptimisticKeys.NewString(), Title = "optimistic_ in a title", FolderId = "f-1" })], default));

        Note note = Results.Read<Note>(applied.State);
        Assert.Equal(("optimistic_ in a title", "f-1"), (note.Title, note.FolderId));
    }
}
