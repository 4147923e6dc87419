using System.Threading.Channels;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>Follows a feed in the background so a test can take events with a timeout.</summary>
public sealed class FeedReader : IAsyncDisposable
{
    private readonly Channel<ChangeEvent> _events = Channel.CreateUnbounded<ChangeEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public FeedReader(ISyncTransport transport, string resource, long after, string clientId = "client-a")
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (ChangeEvent e in transport.FollowAsync(resource, after, clientId, _stop.Token))
                {
                    await _events.Writer.WriteAsync(e);
                }

                _events.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _events.Writer.TryComplete(e is OperationCanceledException ? null : e);
            }
        });
    }

    public async Task<List<ChangeEvent>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var taken = new List<ChangeEvent>(count);
        while (taken.Count < count)
        {
            taken.Add(await _events.Reader.ReadAsync(cts.Token));
        }

        return taken;
    }

    /// <summary>Returns whether another event arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> AnyWithinAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            return await _events.Reader.WaitToReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until the feed ends (the connection closed) and returns the error it ended with, if any.</summary>
    public async Task<Exception?> EndAsync(TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            while (await _events.Reader.WaitToReadAsync(cts.Token))
            {
                _events.Reader.TryRead(out _);
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
