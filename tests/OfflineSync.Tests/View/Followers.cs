using Microsoft.Extensions.Logging.Abstractions;
using OfflineSync.Tests.View.Model;

namespace OfflineSync.Tests.View;

/// <summary>Makes feed followers for the view tests with the engine's defaults, or the options a test sets.</summary>
internal static class Followers
{
    /// <summary>Jitter off, so delays are exactly the options' curve.</summary>
    public static FeedFollower<ViewTodo> Create(
        ISyncTransport server,
        LocalView<ViewTodo> view,
        TimeProvider time,
        IMutationStore? store = null,
        Action<SyncRetryOptions>? retry = null,
        long maxListBytes = SyncOptions.DefaultMaxListBytes)
    {
        var options = new SyncRetryOptions { JitterRatio = 0 };
        retry?.Invoke(options);
        return new FeedFollower<ViewTodo>(server, view, store ?? new InMemoryMutationStore(), new FeedSettings(time, new RetryPolicy(options, static () => 0), maxListBytes), NullLogger.Instance);
    }
}
