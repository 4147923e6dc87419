using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace OfflineSync;

/// <summary>
/// Pushes the queue to the server, one drain at a time, in batches taken from the head (S5, S8). Transient
/// failures of the head pause the drain through a Polly retry pipeline whose delays follow
/// <see cref="SyncRetryOptions"/> and the server's <c>Retry-After</c> (S9); nothing overtakes the head. It sees the
/// engine through <see cref="IDrainHost"/> only.
/// </summary>
internal sealed class SyncDrain : IAsyncDisposable
{
    private readonly IDrainHost _host;
    private readonly ISyncTransport _transport;
    private readonly string _clientId;
    private readonly ILogger _logger;
    private readonly CancellationToken _lifetime;
    private readonly ResiliencePipeline<BatchOutcome> _pipeline;
    private readonly List<Task> _background = [];
    private CancellationTokenSource _backoff;
    private TaskCompletionSource _quiet = NewQuiet(completed: true);
    private Task _loop = Task.CompletedTask;
    private bool _running;
    private int _generation;
    private bool _waiting;
    private int _synced;
    private int _failed;

    /// <param name="host">The engine, as far as the drain needs it.</param>
    /// <param name="transport">The transport batches are pushed through.</param>
    /// <param name="clientId">The client's id, for traces.</param>
    /// <param name="timeProvider">The engine's clock: the backoff timers run on it.</param>
    /// <param name="logger">The engine's logger.</param>
    /// <param name="lifetime">Cancelled when the engine is disposed.</param>
    public SyncDrain(IDrainHost host, ISyncTransport transport, string clientId, TimeProvider timeProvider, ILogger logger, CancellationToken lifetime)
    {
        _host = host;
        _transport = transport;
        _clientId = clientId;
        _logger = logger;
        _lifetime = lifetime;
        _backoff = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        _pipeline = new ResiliencePipelineBuilder<BatchOutcome> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<BatchOutcome>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result.Kind == BatchOutcomeKind.Transient),
                MaxRetryAttempts = int.MaxValue,

                // Attempts are counted per mutation (MaxAttempts), not per drain: the delay comes from the head's count.
                DelayGenerator = static args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result.Delay),
                OnRetry = args => OnBackoffAsync(),
            })
            .Build();
    }

    /// <summary>Held while a batch is in flight and its answers are applied; Clear and Discard wait for it.</summary>
    public SemaphoreSlim PushGate { get; } = new(1, 1);

    /// <summary>Gets whether a drain is running (pushing or waiting for a backoff timer). Read under the engine's lock.</summary>
    public bool IsRunning => _running;

    public void CountSynced() => _synced++;

    public void CountFailed() => _failed++;

    /// <summary>Starts a drain unless one is running; a running drain picks up new mutations by itself (S8).</summary>
    public void Kick()
    {
        lock (_host.Gate)
        {
            StartLocked();
        }
    }

    /// <summary>Runs a drain if needed and waits until the queue is empty or its head waits (S8).</summary>
    public Task RunUntilQuietAsync(CancellationToken cancellationToken)
    {
        Task quiet;
        lock (_host.Gate)
        {
            if (!_running && _host.HeadStatus is null)
            {
                return Task.CompletedTask;
            }

            StartLocked();
            quiet = _quiet.Task;
        }

        return quiet.WaitAsync(cancellationToken);
    }

    /// <summary>Cancels a pending backoff timer so the head is retried at once; starts a drain if none runs.</summary>
    public void RetryNow()
    {
        CancellationTokenSource previous;
        lock (_host.Gate)
        {
            if (_host.IsStopped)
            {
                return;
            }

            previous = _backoff;
            _backoff = CancellationTokenSource.CreateLinkedTokenSource(_lifetime);
            _host.RetryHeadNow();

            StartLocked();
        }

        previous.Cancel();
        previous.Dispose();
    }

    /// <summary>Keeps a background task (a conflict callback, a feed stop) so disposal can wait for it.</summary>
    public void Track(Task task)
    {
        lock (_background)
        {
            _background.RemoveAll(static t => t.IsCompleted);
            _background.Add(task);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task loop;
        lock (_host.Gate)
        {
            loop = _loop;
        }

        await Task.WhenAll(Snapshot(loop)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_host.Gate)
        {
            _quiet.TrySetResult();
            _backoff.Dispose();
        }
    }

    private static TaskCompletionSource NewQuiet(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }

    private List<Task> Snapshot(Task loop)
    {
        lock (_background)
        {
            return [loop, .. _background];
        }
    }

    private void StartLocked()
    {
        if (_host.IsStopped || _running || _host.HeadStatus is null)
        {
            return;
        }

        _running = true;
        _generation++;
        _synced = 0;
        _failed = 0;
        if (_quiet.Task.IsCompleted)
        {
            _quiet = NewQuiet(completed: false);
        }

        int generation = _generation;
        _loop = Task.Run(() => RunAsync(generation));
    }

    private async Task RunAsync(int generation)
    {
        try
        {
            while (true)
            {
                CancellationToken backoff;
                lock (_host.Gate)
                {
                    backoff = _backoff.Token;
                }

                BatchOutcome outcome;
                try
                {
                    outcome = await _pipeline.ExecuteAsync(static (drain, _) => drain.PushOnceAsync(), this, backoff).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
                {
                    // RetryNow cancelled the backoff timer: retry the head at once.
                    continue;
                }

                if (outcome.Kind is BatchOutcomeKind.Idle or BatchOutcomeKind.Blocked)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Disposed: mutations in flight stay queued for the next start.
        }
        catch (Exception exception)
        {
            Log.DrainCrashed(_logger, exception);
        }
        finally
        {
            var events = new EngineEvents();
            lock (_host.Gate)
            {
                // Normally the last push step stopped the drain already; a new drain may run by now.
                if (_running && _generation == generation)
                {
                    Stop(events);

                    // A conflict answered while this drain was winding down (OnConflict completing synchronously)
                    // made the head sendable again, and its Kick found the drain still running: start anew.
                    if (_host.HeadStatus == MutationStatus.Pending)
                    {
                        StartLocked();
                    }
                }
            }

            _host.Fire(events);
        }
    }

    /// <summary>Marks the drain stopped and wakes <see cref="RunUntilQuietAsync"/>; call under the lock.</summary>
    private void Stop(EngineEvents events)
    {
        _running = false;
        _host.ShowDrain(running: false, events);
        events.Add(new SyncCompletedEventArgs(_synced, _failed, _host.PendingCount));
        _quiet.TrySetResult();
    }

    private ValueTask OnBackoffAsync()
    {
        // The head now waits on a timer: SyncAsync returns (S8).
        lock (_host.Gate)
        {
            _waiting = true;
            _quiet.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One step: take a batch under the lock, push it outside the lock, apply the answers under the lock.</summary>
    private async ValueTask<BatchOutcome> PushOnceAsync()
    {
        var events = new EngineEvents();
        lock (_host.Gate)
        {
            // Shown before the push gate is taken: a StatusChanged handler may wait for ClearAsync or DiscardAsync,
            // which take it. Should the batch come out empty after all, Stop shows the drain stopped.
            if (_host.HeadStatus is { } head && head != MutationStatus.Conflicted)
            {
                _host.ShowDrain(running: true, events);
            }
        }

        _host.Fire(events);
        await PushGate.WaitAsync(_lifetime).ConfigureAwait(false);
        try
        {
            PushBatch? batch;
            BatchOutcome outcome;
            lock (_host.Gate)
            {
                batch = _host.TakeBatch(out outcome);
                if (batch is null && outcome.Kind == BatchOutcomeKind.Transient)
                {
                    // The head waits out its backoff (S11) and this drain waits with it.
                    _host.ShowBackoff(events);
                    return outcome;
                }

                if (batch is null)
                {
                    // Decided under the same lock that Kick takes, so a mutation queued now starts a new drain.
                    Stop(events);
                    return outcome;
                }

                if (_waiting && _quiet.Task.IsCompleted)
                {
                    _quiet = NewQuiet(completed: false);
                }

                _waiting = false;
            }

            Log.Pushing(_logger, batch.Mutations.Count, batch.Mutations[0].Sequence);
            using Activity? activity = SyncTelemetry.ActivitySource.StartActivity("OfflineSync.Push");
            activity?.SetTag("offlinesync.batch.size", batch.Mutations.Count);
            activity?.SetTag("offlinesync.client_id", _clientId);

            IReadOnlyList<PushResult>? results = null;
            Exception? error = null;
            try
            {
                results = await _transport.PushAsync(batch.Outgoing, _lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                lock (_host.Gate)
                {
                    _host.ResetInFlight(batch);
                }

                throw;
            }
            catch (Exception exception)
            {
                error = exception;
            }

            lock (_host.Gate)
            {
                outcome = _host.ApplyResults(batch, results, error, events);
            }

            activity?.SetTag("offlinesync.outcome", outcome.Kind.ToString());
            return outcome;
        }
        finally
        {
            PushGate.Release();
            _host.Fire(events);
        }
    }
}
