using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class KeyAssignmentTests
{
    [Fact]
    public async Task StringKeys_OptimisticReplacedProposedKeptTakenReplaced()
    {
        // S2
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();

        string assigned = Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "a" })], default)).ServerKey;
        string empty = Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "", Name = "b" })], default)).ServerKey;
        string proposed = Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "work", Name = "c" })], default)).ServerKey;
        string taken = Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "work", Name = "d" })], default)).ServerKey;

        Assert.Equal(26, assigned.Length); // compact ULID
        Assert.Equal(26, empty.Length);
        Assert.True(string.CompareOrdinal(assigned, empty) < 0 || assigned[..10] == empty[..10]); // time-ordered
        Assert.Equal("work", proposed);
        Assert.NotEqual("work", taken);
    }

    [Fact]
    public async Task LongKeys_NegativeFromSequence_PositiveProposalKeptAndSequenceContinuesAbove()
    {
        // S2: negative numbers are optimistic; a free positive proposal is kept.
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();

        string[] keys = new string[4];
        keys[0] = Results.Single(await server.Transport.PushAsync([m.Create(new Counter { Id = -1, Name = "a" })], default)).ServerKey;
        keys[1] = Results.Single(await server.Transport.PushAsync([m.Create(new Counter { Id = 100, Name = "b" })], default)).ServerKey;
        keys[2] = Results.Single(await server.Transport.PushAsync([m.Create(new Counter { Id = -2, Name = "c" })], default)).ServerKey;
        keys[3] = Results.Single(await server.Transport.PushAsync([m.Create(new Counter { Id = 100, Name = "d" })], default)).ServerKey;

        Assert.Equal(["1", "100", "101", "102"], keys);
    }

    [Fact]
    public async Task IntKeys_AssignedFromSequence()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();

        IReadOnlyList<PushResult> results = await server.Transport.PushAsync([m.Create(new Badge { Id = -1, Name = "a" }), m.Create(new Badge { Id = 0, Name = "b" })], default);

        Assert.Equal(["1", "2"], results.Select(r => Results.Applied(r).ServerKey));
    }

    [Fact]
    public async Task GuidKeys_FreeProposalKept_TakenReplaced()
    {
        // S2: Guid keys are proposals; IdRemapped must not fire when the server keeps them.
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        Guid proposal = Guid.CreateVersion7();

        string kept = Results.Single(await server.Transport.PushAsync([m.Create(new Ticket { Id = proposal, Name = "a" })], default)).ServerKey;
        string replaced = Results.Single(await server.Transport.PushAsync([m.Create(new Ticket { Id = proposal, Name = "b" })], default)).ServerKey;
        string fromEmpty = Results.Single(await server.Transport.PushAsync([m.Create(new Ticket { Id = Guid.Empty, Name = "c" })], default)).ServerKey;

        Assert.Equal(SyncKeys.Format(proposal), kept);
        Assert.NotEqual(kept, replaced);
        Assert.NotEqual(Guid.Empty, Guid.Parse(fromEmpty));
    }

    [Fact]
    public async Task DeletedKey_IsNotReusedForAProposal()
    {
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "old", Name = "a" })], default));
        Results.Single(await server.Transport.PushAsync([m.Delete<Folder>("old")], default));

        string again = Results.Single(await server.Transport.PushAsync([m.Create(new Folder { Id = "old", Name = "b" })], default)).ServerKey;

        Assert.NotEqual("old", again);
    }
}
