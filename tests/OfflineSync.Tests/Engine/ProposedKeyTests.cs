using OfflineSync.Protocol;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

/// <summary>
/// Issue 11: a key the app sets on a new item travels in headers and URL paths. One the server would refuse
/// (or store and then fail to answer with) is refused by <c>Create</c> before anything is queued (S2).
/// </summary>
public sealed class ProposedKeyTests
{
    public static TheoryData<string, string> RefusedKeys => new()
    {
        { "has a space", "a space" },
        { "not ASCII", "caf\u00e9" },
        { "CR LF", "a\r\nX-Injected: 1" },
        { "a tab", "a\tb" },
        { "too long", new string('k', SyncLimits.MaxKeyLength + 1) },
    };

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public async Task Create_WithAKeyTheProtocolCannotCarry_ThrowsNamingTheLimit_AndQueuesNothing(string why, string key)
    {
        // S1, S2: bad input gets a clear error and changes nothing.
        await using var harness = new SyncHarness();

        ArgumentException error = Assert.Throws<ArgumentException>(() => harness.Client.Tags.Create(new Tag { Id = key, Label = why }));

        Assert.Contains("SyncLimits.MaxKeyLength", error.Message, StringComparison.Ordinal);
        Assert.Contains("printable ASCII", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal("item", error.ParamName);
        Assert.Equal(0, harness.Client.PendingCount);
        Assert.Empty(harness.Client.Tags.Items);
        Assert.Empty(harness.Store.Load().Pending);
    }

    [Fact]
    public async Task Create_WithAKeyOfTheLongestAllowedLength_IsQueuedAndProposed()
    {
        // S2: the close case: 256 printable ASCII characters are a key like any other.
        await using var harness = new SyncHarness();
        string key = new('k', SyncLimits.MaxKeyLength);

        harness.Client.Tags.Create(new Tag { Id = key, Label = "longest" });
        await harness.Client.SyncAsync();

        Assert.Equal(key, Assert.Single(harness.Transport.Applied).Key);
        Assert.True(harness.Client.Tags.TryGet(key, out _));
    }
}
