using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

/// <summary>Issue 11: a broken or hostile server cannot poison the client's ID map or views.</summary>
public sealed class HostileServerTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public async Task CreateAnsweredWithAKeyTheResourceCannotHold_IsRejected_AndNothingIsMapped(string serverKey)
    {
        // S3, S9: a long-keyed project answered with a key that is not a long used to be stored as a mapping; the view
        // then threw on re-keying and the client could not be opened again. The push fails; the item stays as it was.
        await using var harness = new SyncHarness();
        var remaps = new List<IdRemappedEventArgs>();
        harness.Client.IdRemapped += remaps.Add;
        harness.Transport.AssignKey = m => m.Resource == "projects" ? serverKey : null;
        Project project = harness.Client.Projects.Create(new Project { Name = "p" });
        Tag tag = harness.Client.Tags.Create(new Tag { Label = "independent" });

        await harness.Client.SyncAsync();

        PendingMutation failed = Assert.Single(harness.Client.GetPending());
        Assert.Equal((MutationStatus.PermanentlyFailed, FailureReason.Rejected), (failed.Status, failed.FailureReason));
        Assert.Contains("not a valid Int64 key of 'projects'", failed.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(remaps, static r => r.Resource == "projects");
        Assert.False(harness.Client.IdMap.TryResolve<Project, long>(project.Id, out _));
        Assert.DoesNotContain(harness.Store.Load().Mappings, static m => m.Resource == "projects");
        Assert.True(harness.Client.Projects.TryGet(project.Id, out Project? kept) && kept.Name == "p");
        Assert.True(harness.Client.IdMap.TryResolve<Tag>(tag.Id, out _));
    }
}
