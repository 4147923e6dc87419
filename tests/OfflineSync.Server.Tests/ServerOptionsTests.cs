using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OfflineSync.Server.Hosting;

namespace OfflineSync.Server.Tests;

public sealed class ServerOptionsTests
{
    [Theory]
    [InlineData(1023, 32 * 1024)] // a percent-encoded key of 256 characters must fit
    [InlineData(256 * 1024 + 1, 32 * 1024)]
    [InlineData(8 * 1024, 4 * 1024 - 1)]
    [InlineData(8 * 1024, 256 * 1024 + 1)]
    public void UrlAndHeaderLimits_OutOfRange_RefusedAtStart(int maxUrlLength, int maxHeadersSize)
    {
        var options = new SyncServerOptions { MaxUrlLength = maxUrlLength, MaxRequestHeadersSize = maxHeadersSize };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact] // a row the server accepts must reach every client, and a body larger than a row could never be stored
    public void RowLimit_AboveWhatClientsRead_OrBelowTheRequestBody_RefusedAtStart()
    {
        Assert.Throws<ArgumentOutOfRangeException>(new SyncServerOptions { MaxRowBytes = Protocol.SyncLimits.MaxRowBytes + 1 }.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(new SyncServerOptions { MaxRowBytes = 512 * 1024, MaxRequestBodySize = (512 * 1024) + 1 }.Validate);
        new SyncServerOptions { MaxRowBytes = 512 * 1024, MaxRequestBodySize = 512 * 1024 }.Validate();
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

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(limit, error.ParamName);
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
