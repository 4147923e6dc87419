using Microsoft.Extensions.Logging;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Storage.Sqlite;

namespace OfflineSync.Server;

/// <summary>Configures the OfflineSync reference server.</summary>
public sealed class SyncServerOptions
{
    /// <summary>
    /// Gets or sets the path of the SQLite database file; it is created when missing. Used when the server
    /// keeps its data in SQLite, the default (<see cref="UseSqlite(string)"/> sets both).
    /// </summary>
    /// <value>The default is <c>offlinesync-server.db</c> in the working directory.</value>
    public string DatabasePath { get; set; } = "offlinesync-server.db";

    /// <summary>Gets or sets the store the server keeps its data in; <see langword="null"/> for SQLite at <see cref="DatabasePath"/>.</summary>
    internal Func<SyncServerOptions, ILoggerFactory, ISyncStore>? StoreFactory { get; set; }

    /// <summary>Gets or sets how long a stored idempotent response is replayed.</summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long change-log entries are kept; a feed resuming from an older position gets <c>invalidate</c>.</summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets the largest number of change-log entries kept, whatever their age; <see langword="null"/> for no limit.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public long? MaxRetainedChanges { get; set; }

    /// <summary>Gets or sets the interval of heartbeat comments on an idle change feed.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the largest accepted body of a single create or update, in bytes.</summary>
    /// <value>The default is 1 MiB.</value>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the largest accepted body of <c>POST /sync/batch</c>, in bytes.</summary>
    /// <value>The default is 16 MiB.</value>
    public long MaxBatchBodySize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the longest request target (path and query, as sent) the server accepts, in characters;
    /// a longer one is answered 414 <c>uri_too_long</c> as problem details. At least 1,024 (a key of
    /// <see cref="Protocol.SyncLimits.MaxKeyLength"/> characters, percent-encoded, must fit), at most 256 KiB.
    /// </summary>
    /// <value>The default is 8,192, Kestrel's own default request-line limit.</value>
    public int MaxUrlLength { get; set; } = 8 * 1024;

    /// <summary>
    /// Gets or sets the largest total size of a request's headers the server accepts, in bytes; larger
    /// headers are answered 431 <c>headers_too_large</c> as problem details. At least 4 KiB, at most 256 KiB.
    /// </summary>
    /// <value>The default is 32 KiB, Kestrel's own default.</value>
    public int MaxRequestHeadersSize { get; set; } = 32 * 1024;

    /// <summary>Gets or sets the largest number of mutations in one batch.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Gets or sets the largest page a list request may ask for.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Gets or sets whether every commit is flushed to disk (SQLite <c>synchronous=FULL</c>) before the answer is sent.</summary>
    /// <value>The default is <see langword="true"/>: an acknowledged write survives a power loss. <see langword="false"/> uses <c>synchronous=NORMAL</c>, which survives a process crash only.</value>
    public bool FlushEachCommit { get; set; } = true;

    /// <summary>Gets or sets the clock used for expiries and retention.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Keeps the server's data in one SQLite file (the default): embedded, no set-up, for one server instance.
    /// For several instances behind a load balancer, use the PostgreSQL store (<c>UsePostgres</c> in
    /// <c>OfflineSync.Server.PostgreSql</c>).
    /// </summary>
    /// <param name="path">The database file; created when missing, reused when it exists.</param>
    /// <returns>These options.</returns>
    public SyncServerOptions UseSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = path;
        StoreFactory = null;
        return this;
    }

    /// <summary>Opens the configured store.</summary>
    internal ISyncStore OpenStore(ILoggerFactory loggerFactory) =>
        StoreFactory is { } factory ? factory(this, loggerFactory) : new SqliteSyncStore(DatabasePath, this);

    internal void Validate()
    {
        if (StoreFactory is null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(DatabasePath, nameof(DatabasePath));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdempotencyRetention, TimeSpan.Zero, nameof(IdempotencyRetention));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChangeRetention, TimeSpan.Zero, nameof(ChangeRetention));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestBodySize, 1, nameof(MaxRequestBodySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchBodySize, 1, nameof(MaxBatchBodySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPageSize, 1, nameof(MaxPageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUrlLength, 1024, nameof(MaxUrlLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxUrlLength, 256 * 1024, nameof(MaxUrlLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestHeadersSize, 4 * 1024, nameof(MaxRequestHeadersSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestHeadersSize, 256 * 1024, nameof(MaxRequestHeadersSize));
        if (MaxRetainedChanges is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetainedChanges), MaxRetainedChanges, "MaxRetainedChanges must be null or at least 0.");
        }
    }
}
