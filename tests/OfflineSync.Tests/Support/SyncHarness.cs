using OfflineSync.Tests.Model;
using OfflineSync.Tests.View;

namespace OfflineSync.Tests.Support;

/// <summary>A <see cref="TestSync"/> client over a <see cref="ScriptedTransport"/>, an in-memory store and a fake clock.</summary>
public sealed class SyncHarness : IAsyncDisposable
{
    public SyncHarness(Action<SyncOptions>? configure = null, IMutationStore? store = null, ScriptedTransport? transport = null, bool autoSync = false)
    {
        Transport = transport ?? new ScriptedTransport();
        Store = store ?? new InMemoryMutationStore();
        Options = new SyncOptions
        {
            Transport = Transport,
            Store = Store,
            TimeProvider = Time,
            AutoSync = autoSync,
        };
        Options.Retry.JitterRatio = 0;
        configure?.Invoke(Options);
        Client = new TestSync(Options);
    }

    public TimerClock Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public ScriptedTransport Transport { get; }

    public IMutationStore Store { get; }

    public SyncOptions Options { get; }

    public TestSync Client { get; }

    internal SyncEngine Engine => Client.SyncEngine;

    /// <summary>Gets the client's id: rows whose origin carries it are its own (S3).</summary>
    public string ClientId => Client.SyncEngine.ClientId;

    /// <summary>
    /// Reconnects the client and waits until <paramref name="set"/> is live on the new connection: it then holds the
    /// server's rows as they are now, and no list of the old connection can land later, over a state the test has
    /// scripted since (a stopped connection finishes its list before it shows Offline).
    /// </summary>
    public async Task RelistAsync<T>(SyncSet<T> set)
        where T : class, ISyncEntity<T>
    {
        Client.SetOnline(false);
        await Poll.Until(() => set.Status == SyncSetStatus.Offline, $"the {set.Resource} feed stopped");
        Client.SetOnline(true);
        await Poll.Until(() => set.Status == SyncSetStatus.Live, $"the {set.Resource} feed is live again");
    }

    /// <summary>Starts a second client on the same store, as after a restart.</summary>
    public TestSync Restart(IMutationStore store) => new(new SyncOptions { Transport = Transport, Store = store, TimeProvider = Time, AutoSync = false });

    /// <summary>Skips backoff timers until the transport has received <paramref name="pushes"/> batches, then lets the drain settle.</summary>
    public async Task RetryUntilAsync(int pushes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Transport.PushCount < pushes)
        {
            Client.RetryNow();
            await Task.Delay(2, timeout.Token);
        }

        await Client.SyncAsync(timeout.Token);
    }

    /// <summary>
    /// Moves the fake clock from timer to timer (each exactly when it is due) until the transport has received
    /// <paramref name="pushes"/> batches; <see cref="RecordPushTimes"/> then sees the times the retries were scheduled for.
    /// </summary>
    public async Task AdvanceUntilAsync(int pushes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Transport.PushCount < pushes)
        {
            // Until the engine has scheduled its next timer there is nothing to move to: wait for it.
            if (!Time.AdvanceToNextTimer())
            {
                await Task.Delay(1, timeout.Token);
            }
        }
    }

    /// <summary>Records the fake time of every push.</summary>
    public List<DateTimeOffset> RecordPushTimes()
    {
        var times = new List<DateTimeOffset>();
        Transport.OnPush = _ =>
        {
            lock (times)
            {
                times.Add(Time.GetUtcNow());
            }

            return Task.CompletedTask;
        };
        return times;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
