using OfflineSync;
using OfflineSync.Http;
using TodoApp.Model;

namespace TodoApp.Client;

/// <summary>One client of the demo: a <see cref="TodoSync"/> with its own SQLite queue, narrating what its engine does.</summary>
public sealed class DemoClient : IAsyncDisposable
{
    private readonly TextWriter _output;
    private readonly HttpSyncTransport _transport;

    /// <summary>Creates the client, online, following the server's feeds; <paramref name="tokens"/> signs it in.</summary>
    public DemoClient(string name, Uri server, string databasePath, TextWriter output, ConflictStrategy strategy, ISyncTokenProvider? tokens = null)
    {
        Name = name;
        _output = output;
        _transport = new HttpSyncTransport(server, new HttpSyncTransportOptions { TokenProvider = tokens });
        Sync = new TodoSync(new SyncOptions
        {
            Transport = _transport,
            Store = SqliteMutationStore.Open(databasePath),
            ConflictStrategy = strategy,
            OnConflict = strategy == ConflictStrategy.Manual ? ResolveAsync : null,
        });
        Sync.IdRemapped += e => Say($"remapped {e.Resource} {e.OptimisticId} -> {e.ServerId}");
        Sync.MutationSynced += e => Say($"synced {e.Mutation.Kind.ToString().ToLowerInvariant()} of {e.Mutation.Resource} {e.ServerKey}");
        Sync.ConflictDetected += e => Say($"conflict on {e.Mutation.Resource} {e.Mutation.Key}: {e.Error} (strategy {e.Strategy})");
        Sync.MutationFailed += e => Say($"FAILED {e.Mutation.Kind.ToString().ToLowerInvariant()} of {e.Mutation.Resource} {e.Mutation.Key}: {e.Reason} {e.Error}");
        Sync.SetOnline(true);
    }

    /// <summary>Gets the client's name in the story.</summary>
    public string Name { get; }

    /// <summary>Gets the typed client.</summary>
    public TodoSync Sync { get; }

    /// <summary>Gets the server key an optimistic key was mapped to, or the key itself when it was kept.</summary>
    public string ServerKeyOf<TEntity>(string key)
        where TEntity : class, ISyncEntity<TEntity> =>
        Sync.IdMap.TryResolve<TEntity>(key, out string? serverKey) ? serverKey : key;

    /// <summary>Waits until <paramref name="condition"/> holds, checking as the view changes.</summary>
    /// <exception cref="TimeoutException">It did not hold within 20 seconds.</exception>
    public async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up waiting until {what}.");
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Sync.DisposeAsync();
        _transport.Dispose();
    }

    // Alice keeps her title but takes everything else the server has: a field-level choice only
    // the app can make, which is what the Manual strategy is for.
    private Task<ConflictResolution> ResolveAsync(SyncConflict conflict)
    {
        Todo? server = conflict.GetServerState<Todo>();
        ISyncPatch<Todo>? local = conflict.GetLocalPatch<Todo>();
        if (server is null || local is not TodoPatch { Title.HasValue: true } patch)
        {
            Say("  resolved: server wins (nothing of ours worth keeping)");
            return Task.FromResult(ConflictResolution.Discard);
        }

        server.Title = patch.Title.Value;
        Say($"  resolved by hand: keep our title \"{server.Title}\", take the server's Completed={server.Completed}");
        return Task.FromResult(ConflictResolution.Replace(server));
    }

    private void Say(string line)
    {
        lock (_output)
        {
            _output.WriteLine($"   [{Name}] {line}");
        }
    }
}
