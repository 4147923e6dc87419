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
