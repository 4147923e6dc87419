using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OfflineSync.Server.Hosting;

namespace OfflineSync.Server.Tests;

public sealed class ServerOptionsTests
{
    [Theory]
    [InlineData(1023, 32 * 1024, "MaxUrlLength")] // a percent-encoded key of 256 characters must fit
    [InlineData(256 * 1024 + 1, 32 * 1024, "MaxUrlLength")]
    [InlineData(8 * 1024, 4 * 1024 - 1, "MaxRequestHeadersSize")]
    [InlineData(8 * 1024, 256 * 1024 + 1, "MaxRequestHeadersSize")]
    public void UrlAndHeaderLimits_OutOfRange_RefusedAtStart(int maxUrlLength, int maxHeadersSize, string option)
    {
        var options = new SyncServerOptions { MaxUrlLength = maxUrlLength, MaxRequestHeadersSize = maxHeadersSize };

        AssertRefused(options, option);
    }

    [Fact]
    public void DefaultOptions_AreValid()
    {
        Assert.True(new SyncServerOptionsValidator().Validate(null, new SyncServerOptions()).Succeeded);
    }

    [Fact] // a row the server accepts must reach every client, and a body larger than a row could never be stored
    public void RowLimit_AboveWhatClientsRead_OrBelowTheRequestBody_RefusedAtStart()
    {
        AssertRefused(new SyncServerOptions { MaxRowBytes = Protocol.SyncLimits.MaxRowBytes + 1 }, nameof(SyncServerOptions.MaxRowBytes));
        AssertRefused(new SyncServerOptions { MaxRowBytes = 512 * 1024, MaxRequestBodySize = (512 * 1024) + 1 }, nameof(SyncServerOptions.MaxRequestBodySize));
        Assert.True(new SyncServerOptionsValidator().Validate(null, new SyncServerOptions { MaxRowBytes = 512 * 1024, MaxRequestBodySize = 512 * 1024 }).Succeeded);
        Assert.Equal(Protocol.SyncLimits.MaxRowBytes, new SyncServerOptions().MaxRowBytes);
    }

    [Theory]
    [InlineData(nameof(SyncServerOptions.MaxPageBytes))]
    [InlineData(nameof(SyncServerOptions.MaxBatchAnswerBytes))]
    [InlineData(nameof(SyncServerOptions.MaxRetainedChangeBytes))]
    [InlineData(nameof(SyncServerOptions.MaxFeedsPerClient))]
    [InlineData(nameof(SyncServerOptions.MaxFeeds))]
    [InlineData(nameof(SyncServerOptions.WalSizeLimit))]
    public void CostLimits_OutOfRange_RefusedAtStart(string limit)
    {
        var options = new SyncServerOptions();
        switch (limit)
        {
            case nameof(SyncServerOptions.MaxPageBytes): options.MaxPageBytes = 4095; break;
            case nameof(SyncServerOptions.MaxBatchAnswerBytes): options.MaxBatchAnswerBytes = (64 * 1024) - 1; break;
            case nameof(SyncServerOptions.MaxRetainedChangeBytes): options.MaxRetainedChangeBytes = 1024; break;
            case nameof(SyncServerOptions.MaxFeedsPerClient): options.MaxFeedsPerClient = 0; break;
            case nameof(SyncServerOptions.MaxFeeds): options.MaxFeeds = options.MaxFeedsPerClient - 1; break;
            default: options.WalSizeLimit = 0; break;
        }

        AssertRefused(options, limit);
    }

    /// <summary>The validator AddOfflineSyncServer runs at start refuses the options, naming exactly <paramref name="option"/>.</summary>
    private static void AssertRefused(SyncServerOptions options, string option)
    {
        ValidateOptionsResult result = new SyncServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal([option], result.Failures!.Select(static f => f[..f.IndexOf(':', StringComparison.Ordinal)]).Distinct());
        Assert.Contains($"SyncServerOptions.{option}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void KestrelLimits_RaisedAboveTheServersOwn_NeverLowered()
    {
        // Kestrel answers over-limit requests itself, without a body: the server's limits must be met first.
        var limits = new SyncRequestLimits(Options.Create(new SyncServerOptions { MaxUrlLength = 100 * 1024 }));
        var defaults = new KestrelServerOptions();
        var generous = new KestrelServerOptions();
        generous.Limits.MaxRequestHeadersTotalSize = 512 * 1024;

        limits.Configure(defaults);
        limits.Configure(generous);

        Assert.Equal((200 * 1024, SyncRequestLimits.KestrelHeadroom), (defaults.Limits.MaxRequestLineSize, defaults.Limits.MaxRequestHeadersTotalSize));
        Assert.Equal(512 * 1024, generous.Limits.MaxRequestHeadersTotalSize);
    }
}
