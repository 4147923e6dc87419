using Microsoft.Extensions.Logging;
using OfflineSync.Protocol;

namespace OfflineSync;

/// <summary>
/// Configures a <see cref="SyncClient"/>. The client validates the options and copies their values when it is created:
/// changing them afterwards changes nothing.
/// </summary>
public sealed class SyncOptions
{
    /// <summary>The default of <see cref="MaxListBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxListBytes = 256L * 1024 * 1024;

    /// <summary>Gets or sets the transport to the server.</summary>
    /// <value>Required; there is no default.</value>
    public ISyncTransport? Transport { get; set; }

    /// <summary>Gets or sets the store of the mutation queue and the ID map. The client disposes it when it is disposed.</summary>
    /// <value>The default is a new <see cref="InMemoryMutationStore"/>, which loses pending changes when the process exits.</value>
    public IMutationStore? Store { get; set; }

    /// <summary>Gets or sets how conflicts are resolved (S11).</summary>
    /// <value>The default is <see cref="OfflineSync.ConflictStrategy.ServerWins"/>.</value>
    public ConflictStrategy ConflictStrategy { get; set; } = ConflictStrategy.ServerWins;

    /// <summary>
    /// Gets or sets the callback that decides a conflict when <see cref="ConflictStrategy"/> is
    /// <see cref="OfflineSync.ConflictStrategy.Manual"/>. Until its task completes the mutation waits with status
    /// <see cref="MutationStatus.Conflicted"/> and nothing behind it is sent.
    /// </summary>
    /// <value>The default is <see langword="null"/>; required with <see cref="OfflineSync.ConflictStrategy.Manual"/>.</value>
    public Func<SyncConflict, Task<ConflictResolution>>? OnConflict { get; set; }

    /// <summary>Gets or sets the largest number of queued mutations (S7).</summary>
    /// <value>The default is 10,000. At least 1.</value>
    public int MaxQueueSize { get; set; } = 10_000;

    /// <summary>Gets or sets what happens when a mutation would exceed <see cref="MaxQueueSize"/>.</summary>
    /// <value>The default is <see cref="OfflineSync.QueueFullPolicy.Reject"/>.</value>
    public QueueFullPolicy QueueFullPolicy { get; set; } = QueueFullPolicy.Reject;

    /// <summary>Gets or sets how many attempts a mutation gets, the first included, before it fails with <see cref="FailureReason.Exhausted"/> (S9).</summary>
    /// <value>The default is 10. At least 1.</value>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Gets the backoff between attempts after transient failures (S9).</summary>
    public SyncRetryOptions Retry { get; } = new();

    /// <summary>Gets or sets the largest number of mutations pushed in one batch.</summary>
    /// <value>The default is 100. At least 1.</value>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets whether the client drains the queue by itself while online: after every
    /// mutation and when it comes online (S8). When <see langword="false"/>, only
    /// <see cref="SyncClient.SyncAsync(CancellationToken)"/> and <see cref="SyncClient.RetryNow"/> push.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AutoSync { get; set; } = true;

    /// <summary>Gets or sets the clock used for backoff timers, timestamps and optimistic keys.</summary>
    /// <value>The default is <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory.</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Gets or sets the client id sent with every request and used in idempotency keys. The server keeps the
    /// optimistic keys of a client's creates for that client alone, so two clients must never share one.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the id the store made when it was first opened. Otherwise 1 to
    /// <see cref="SyncLimits.MaxClientIdLength"/> printable ASCII characters without spaces or <c>:</c>.
    /// </value>
    public string? ClientId { get; set; }

    /// <summary>
    /// Gets or sets the most row data, in bytes, one list of a resource may bring, all pages together: a set
    /// lists its resource when it starts, reconnects or is invalidated (S19). A larger list fails; the set shows
    /// <see cref="SyncSetStatus.Error"/>, keeps its rows and tries again later. It bounds what a broken or hostile
    /// server can make the client hold.
    /// </summary>
    /// <value>The default is <see cref="DefaultMaxListBytes"/> (256 MiB). At least 1.</value>
    public long MaxListBytes { get; set; } = DefaultMaxListBytes;

    /// <summary>
    /// Gets or sets the source of the online state. Without one the client starts online and
    /// follows <see cref="SyncClient.SetOnline(bool)"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public INetworkMonitor? NetworkMonitor { get; set; }

    /// <summary>
    /// Gets or sets the source of the random numbers (0 to 1) of the backoff's jitter. Tests replace it to make
    /// delays exact; the client copies it, like every option, when it is made.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <see cref="Random.Shared"/>.</value>
    internal Func<double>? RandomSource { get; set; }

    /// <summary>Checks every setting and throws on the first that is invalid.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (Transport is null)
        {
            throw new ArgumentException("SyncOptions.Transport is required: set it to the transport to your server, for example new HttpSyncTransport(baseAddress).", "options");
        }

        if (MaxQueueSize < 1)
        {
            throw new ArgumentException($"SyncOptions.MaxQueueSize must be at least 1 but is {MaxQueueSize}.", "options");
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"SyncOptions.MaxAttempts counts the first attempt and must be at least 1 but is {MaxAttempts}.", "options");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"SyncOptions.BatchSize must be at least 1 but is {BatchSize}.", "options");
        }

        if (!Enum.IsDefined(ConflictStrategy))
        {
            throw new ArgumentException($"SyncOptions.ConflictStrategy has the unknown value {(int)ConflictStrategy}.", "options");
        }

        if (!Enum.IsDefined(QueueFullPolicy))
        {
            throw new ArgumentException($"SyncOptions.QueueFullPolicy has the unknown value {(int)QueueFullPolicy}.", "options");
        }

        if (ConflictStrategy == ConflictStrategy.Manual && OnConflict is null)
        {
            throw new ArgumentException("SyncOptions.ConflictStrategy is Manual but SyncOptions.OnConflict is not set: give a callback that returns ConflictResolution.Discard, .Retry or .Replace(data).", "options");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("SyncOptions.TimeProvider must not be null; leave it at TimeProvider.System unless you test with a fake clock.", "options");
        }

        if (ClientId is not null)
        {
            ProtocolChecks.ClientId(ClientId, "SyncOptions.ClientId");
        }

        if (MaxListBytes < 1)
        {
            throw new ArgumentException($"SyncOptions.MaxListBytes must be at least 1 but is {MaxListBytes}.", "options");
        }

        Retry.Validate();
    }
}
