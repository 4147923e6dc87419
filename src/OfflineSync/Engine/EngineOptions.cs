using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OfflineSync;

/// <summary>
/// The engine's settings, validated and copied from <see cref="SyncOptions"/> when the engine is built, as Polly
/// copies a strategy's options into read-only fields: changing the options object afterwards changes nothing.
/// </summary>
internal sealed class EngineOptions
{
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    public EngineOptions(SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Transport = options.Transport!;
        Store = options.Store;
        ConflictStrategy = options.ConflictStrategy;
        OnConflict = options.OnConflict;
        MaxQueueSize = options.MaxQueueSize;
        QueueFullPolicy = options.QueueFullPolicy;
        MaxAttempts = options.MaxAttempts;
        BatchSize = options.BatchSize;
        AutoSync = options.AutoSync;
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        ClientId = options.ClientId;
        MaxListBytes = options.MaxListBytes;
        NetworkMonitor = options.NetworkMonitor;
        Retry = new RetryPolicy(options.Retry, options.RandomSource ?? Random.Shared.NextDouble);
    }

    public ISyncTransport Transport { get; }

    /// <summary>Gets the store the app gave, or <see langword="null"/> for a new in-memory one.</summary>
    public IMutationStore? Store { get; }

    public ConflictStrategy ConflictStrategy { get; }

    public Func<SyncConflict, Task<ConflictResolution>>? OnConflict { get; }

    public int MaxQueueSize { get; }

    public QueueFullPolicy QueueFullPolicy { get; }

    public int MaxAttempts { get; }

    public int BatchSize { get; }

    public bool AutoSync { get; }

    /// <summary>Gets the one clock of the engine: timers, backoff, timestamps, optimistic keys, and the feeds it starts.</summary>
    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets the client id the app set, or <see langword="null"/> for the store's.</summary>
    public string? ClientId { get; }

    public long MaxListBytes { get; }

    public INetworkMonitor? NetworkMonitor { get; }

    /// <summary>Gets the backoff after transient failures and repeated conflicts (S9, S11).</summary>
    public RetryPolicy Retry { get; }
}
