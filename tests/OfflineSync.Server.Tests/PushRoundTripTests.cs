using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class PushRoundTripTests
{
    [Fact]
    public async Task Create_OptimisticKey_AppliedWithServerKeyVersionAndOrigin()
    {
        // S2, S15
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        string optimistic = OptimisticKeys.NewString();

        PushResult.Applied applied = Results.Single(await server.Transport.PushAsync([mutations.Create(new Folder { Id = optimistic, Name = "Work" })], default));

        Assert.NotEqual(optimistic, applied.ServerKey);
        Assert.False(Folder.IsOptimisticKey(applied.ServerKey));
        Assert.Equal("1", applied.Version);
        Folder stored = Results.Read<Folder>(applied.State);
        Assert.Equal((applied.ServerKey, "Work"), (stored.Id, stored.Name));
        ListItem row = Assert.Single(await Results.ListAllAsync(server.Transport, "folders"));
        Assert.Equal((applied.ServerKey, optimistic, "1"), (row.Key, row.OriginOptimisticKey, row.Version));
    }

    [Fact]
    public async Task UpdateThenDelete_SingleRequests_VersionsAdvanceAndRowDisappears()
    {
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([mutations.Create(new Note { Id = OptimisticKeys.NewString(), Title = "a" })], default));

        PushResult.Applied updated = Results.Single(await server.Transport.PushAsync([mutations.Update(created.ServerKey, new NotePatch { Title = "b" }, created.Version)], default));
        Assert.Equal("2", updated.Version);
        Note note = Results.Read<Note>(updated.State);
        Assert.Equal(("b", "2"), (note.Title, note.Version)); // [SyncVersion] carried on the entity

        PushResult.Applied deleted = Results.Single(await server.Transport.PushAsync([mutations.Delete<Note>(created.ServerKey, updated.Version)], default));
        Assert.Equal(created.ServerKey, deleted.ServerKey);
        Assert.True(deleted.State.IsEmpty);
        Assert.Empty(await Results.ListAllAsync(server.Transport, "notes"));
    }

    [Fact]
    public async Task Delete_AlreadyGone_Applied()
    {
        // DESIGN §6: 204 also when already gone.
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();

        PushResult.Applied applied = Results.Single(await server.Transport.PushAsync([mutations.Delete<Note>("never-existed")], default));

        Assert.Equal("never-existed", applied.ServerKey);
    }

    [Fact]
    public async Task Update_UnknownKey_Rejected404()
    {
        await using TestServer server = await TestServer.StartAsync();

        PushResult result = Assert.Single(await server.Transport.PushAsync([new Mutations().Update("unknown", new NotePatch { Title = "x" })], default));

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(result);
        Assert.Equal(404, rejected.Status);
        Assert.Contains("not_found", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_CreatesAndUpdates_AppliedInOrderWithOneResultEach()
    {
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        var batch = new List<OutgoingMutation>();
        for (int i = 0; i < 20; i++)
        {
            batch.Add(mutations.Create(new Folder { Id = OptimisticKeys.NewString(), Name = $"f{i}" }));
        }

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(batch, default);

        Assert.Equal(20, results.Count);
        Assert.All(results, r => Results.Applied(r));
        List<ListItem> rows = await Results.ListAllAsync(server.Transport, "folders");
        Assert.Equal(20, rows.Count);
        Assert.Equal(batch.Select(m => m.OptimisticKey).Order(), rows.Select(r => r.OriginOptimisticKey).Order());
    }

    [Fact]
    public async Task Batch_StopsAtFirstFailure_LaterMutationsNotApplied()
    {
        // ISyncTransport: the server stops at the first mutation that is not Applied.
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        OutgoingMutation first = mutations.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "ok" });
        OutgoingMutation failing = mutations.Update("missing", new FolderPatch { Name = "x" });
        OutgoingMutation never = mutations.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "never" });

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync([first, failing, never], default);

        Assert.Equal(2, results.Count);
        Results.Applied(results[0]);
        Assert.Equal(404, Assert.IsType<PushResult.Rejected>(results[1]).Status);
        Assert.Single(await Results.ListAllAsync(server.Transport, "folders"));
    }

    [Fact]
    public async Task Batch_LargerThanMaxBatchSize_OneRequestCarriesTheFirstMaxBatchSize_TheRestUnanswered()
    {
        // A second request could reference this one's creates by optimistic keys, which the server resolves only within
        // one request: the rest is left to the engine's next batch (S5).
        await using TestServer server = await TestServer.StartAsync();
        using var transport = new Http.HttpSyncTransport(server.Host.Address, new Http.HttpSyncTransportOptions { MaxBatchSize = 7 });
        var mutations = new Mutations();
        OutgoingMutation[] batch = Enumerable.Range(0, 30).Select(i => mutations.Create(new Counter { Id = -(i + 1), Name = $"c{i}" })).ToArray();

        IReadOnlyList<PushResult> results = await transport.PushAsync(batch, default);

        Assert.Equal(Enumerable.Range(1, 7).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), results.Select(r => Results.Applied(r).ServerKey));
        Assert.Equal(7, (await Results.ListAllAsync(server.Transport, "counters")).Count);
    }

    [Fact]
    public async Task Batch_OverTheServersBodyLimit_SmallerRequest_NothingRejected()
    {
        // A 413 for several mutations says they are too large together, not that the first is: halve, send, answer those.
        await using TestServer server = await TestServer.StartAsync(o => o.MaxBatchBodySize = 2048);
        var mutations = new Mutations();
        OutgoingMutation[] batch = Enumerable.Range(0, 20).Select(i => mutations.Create(new Counter { Id = -(i + 1), Name = new string('x', 200) + i })).ToArray();

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(batch, default);

        Assert.InRange(results.Count, 1, 19);
        Assert.Equal(Enumerable.Range(1, results.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), results.Select(r => Results.Applied(r).ServerKey));
        Assert.Equal(results.Count, (await Results.ListAllAsync(server.Transport, "counters")).Count);
    }

    [Fact]
    public async Task Batch_OneMutationOverTheLimitAlone_RejectedWith413()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxBatchBodySize = 2048);
        var mutations = new Mutations();
        OutgoingMutation[] batch = [mutations.Create(new Counter { Id = -1, Name = new string('x', 4000) }), mutations.Create(new Counter { Id = -2, Name = "small" })];

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync(batch, default);

        PushResult.Rejected rejected = Assert.IsType<PushResult.Rejected>(Assert.Single(results));
        Assert.Equal(413, rejected.Status);
        Assert.Empty(await Results.ListAllAsync(server.Transport, "counters"));
    }

    [Fact]
    public async Task Server_RestartedOnSameFile_KeepsRowsVersionsAndSequences()
    {
        await using TestServer server = await TestServer.StartAsync();
        var mutations = new Mutations();
        PushResult.Applied created = Results.Single(await server.Transport.PushAsync([mutations.Create(new Counter { Id = -1, Name = "a" })], default));

        await server.RestartAsync();
        PushResult.Applied next = Results.Single(await server.Transport.PushAsync([mutations.Create(new Counter { Id = -2, Name = "b" })], default));

        Assert.Equal(("1", "2"), (created.ServerKey, next.ServerKey));
        ListPage page = await server.Transport.ListAsync("counters", null, 10, "client-a", default);
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(2, page.Sequence);
    }
}
