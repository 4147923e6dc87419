using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Tests.Engine;

public sealed class OptionsValidationTests
{
    private static readonly Dictionary<string, (Action<SyncOptions> Break, string Named)> Cases = new(StringComparer.Ordinal)
    {
        ["no transport"] = (o => o.Transport = null, "SyncOptions.Transport"),
        ["MaxAttempts 0"] = (o => o.MaxAttempts = 0, "SyncOptions.MaxAttempts"),
        ["MaxAttempts negative"] = (o => o.MaxAttempts = -3, "SyncOptions.MaxAttempts"),
        ["BatchSize 0"] = (o => o.BatchSize = 0, "SyncOptions.BatchSize"),
        ["BatchSize negative"] = (o => o.BatchSize = -1, "SyncOptions.BatchSize"),
        ["MaxQueueSize 0"] = (o => o.MaxQueueSize = 0, "SyncOptions.MaxQueueSize"),
        ["unknown ConflictStrategy"] = (o => o.ConflictStrategy = (ConflictStrategy)42, "SyncOptions.ConflictStrategy"),
        ["unknown QueueFullPolicy"] = (o => o.QueueFullPolicy = (QueueFullPolicy)7, "SyncOptions.QueueFullPolicy"),
        ["Manual without OnConflict"] = (o => o.ConflictStrategy = ConflictStrategy.Manual, "SyncOptions.OnConflict"),
        ["no TimeProvider"] = (o => o.TimeProvider = null!, "SyncOptions.TimeProvider"),
        ["empty ClientId"] = (o => o.ClientId = "", "SyncOptions.ClientId"),
        ["ClientId with colon"] = (o => o.ClientId = "a:b", "SyncOptions.ClientId"),
        ["ClientId with a space"] = (o => o.ClientId = "a b", "SyncOptions.ClientId"),
        ["ClientId with CR LF"] = (o => o.ClientId = "a\r\nX-Injected: 1", "SyncLimits.MaxClientIdLength"),
        ["ClientId not ASCII"] = (o => o.ClientId = "caf\u00e9", "SyncOptions.ClientId"),
        ["ClientId too long"] = (o => o.ClientId = new string('c', Protocol.SyncLimits.MaxClientIdLength + 1), "SyncLimits.MaxClientIdLength"),
        ["MaxListBytes 0"] = (o => o.MaxListBytes = 0, "SyncOptions.MaxListBytes"),
        ["BaseDelay 0"] = (o => o.Retry.BaseDelay = TimeSpan.Zero, "SyncOptions.Retry.BaseDelay"),
        ["BaseDelay negative"] = (o => o.Retry.BaseDelay = TimeSpan.FromSeconds(-1), "SyncOptions.Retry.BaseDelay"),
        ["BackoffFactor below 1"] = (o => o.Retry.BackoffFactor = 0.5, "SyncOptions.Retry.BackoffFactor"),
        ["BackoffFactor NaN"] = (o => o.Retry.BackoffFactor = double.NaN, "SyncOptions.Retry.BackoffFactor"),
        ["BackoffFactor infinite"] = (o => o.Retry.BackoffFactor = double.PositiveInfinity, "SyncOptions.Retry.BackoffFactor"),
        ["MaxDelay below BaseDelay"] = (o => o.Retry.MaxDelay = TimeSpan.FromMilliseconds(500), "SyncOptions.Retry.MaxDelay"),
        ["JitterRatio negative"] = (o => o.Retry.JitterRatio = -0.1, "SyncOptions.Retry.JitterRatio"),
        ["JitterRatio above 1"] = (o => o.Retry.JitterRatio = 1.5, "SyncOptions.Retry.JitterRatio"),
        ["JitterRatio NaN"] = (o => o.Retry.JitterRatio = double.NaN, "SyncOptions.Retry.JitterRatio"),
        ["OfflineAfterFailures 0"] = (o => o.Retry.OfflineAfterFailures = 0, "SyncOptions.Retry.OfflineAfterFailures"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void InvalidOption_ThrowsWhenClientIsBuilt_NamingTheOption(string name)
    {
        (Action<SyncOptions> breakIt, string named) = Cases[name];
        var store = new InMemoryMutationStore();
        store.Append(new StoredMutation
        {
            Sequence = 1,
            Resource = "tags",
            Kind = MutationKind.Create,
            Key = "kept",
            Payload = """{"id":"kept","label":"k"}"""u8.ToArray(),
            IdempotencyKey = "tags:create:kept:c:1",
        });
        var options = new SyncOptions { Transport = new ScriptedTransport(), Store = store, TimeProvider = new FakeTimeProvider(), AutoSync = false };
        breakIt(options);

        ArgumentException error = Assert.Throws<ArgumentException>(() => new TestSync(options));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);

        // Bad input loses nothing: the store was neither read into a client nor disposed.
        Assert.Single(store.Load().Pending);
    }

    [Fact]
    public async Task ClientIdOfTheLongestAllowedLength_IsValid()
    {
        // The close case of the client id checks: 128 printable ASCII characters.
        string clientId = new('c', Protocol.SyncLimits.MaxClientIdLength);
        await using var client = new TestSync(new SyncOptions { Transport = new ScriptedTransport(), ClientId = clientId, AutoSync = false });

        Tag tag = client.Tags.Create(new Tag { Label = "a" });

        Assert.Contains($":{clientId}:", client.SyncEngine.Queue.Head!.IdempotencyKey, StringComparison.Ordinal);
        Assert.NotNull(tag.Id);
    }

    [Fact]
    public async Task DefaultOptions_WithTransport_AreValid()
    {
        // S7, S9: the documented defaults.
        var options = new SyncOptions { Transport = new ScriptedTransport(), AutoSync = false };
        await using var client = new TestSync(options);

        Assert.Equal((10_000, QueueFullPolicy.Reject, 10, 100, ConflictStrategy.ServerWins), (options.MaxQueueSize, options.QueueFullPolicy, options.MaxAttempts, options.BatchSize, options.ConflictStrategy));
        Assert.Equal(256L * 1024 * 1024, options.MaxListBytes);
        Assert.Equal((TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(60)), (options.Retry.BaseDelay, options.Retry.BackoffFactor, options.Retry.MaxDelay));
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal(0, client.PendingCount);
    }
}
