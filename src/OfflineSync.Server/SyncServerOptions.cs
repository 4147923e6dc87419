using System.Security.Claims;
using Microsoft.Extensions.Logging;
using OfflineSync.Protocol;
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

    /// <summary>
    /// Gets or sets the largest number of change-log entries kept, whatever their age; <see langword="null"/> for no
    /// limit. The log keeps one entry per row (its last change), so this is at most the number of rows changed within
    /// <see cref="ChangeRetention"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public long? MaxRetainedChanges { get; set; }

    /// <summary>
    /// Gets or sets the largest size of the change log, whatever its age, in bytes of the events its entries stand for
    /// (each entry weighs its row's JSON and key as they were at the change): what a feed resuming from the oldest kept
    /// position may have to read. A client further behind gets <c>invalidate</c> and lists, which then costs about as
    /// much. <see langword="null"/> for no limit; otherwise at least 1 MiB.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public long? MaxRetainedChangeBytes { get; set; }

    /// <summary>Gets or sets the interval of heartbeat comments on an idle change feed.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the largest accepted body of a single create or update, and of each batch item's <c>data</c>, in bytes; at most <see cref="MaxRowBytes"/>.</summary>
    /// <value>The default is 1 MiB.</value>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest row the server stores, in bytes of its JSON as the server writes it: a create or update
    /// that would store a larger row is refused with 413 <c>too_large</c> before anything is committed. A row travels
    /// whole in the feed, so this may not exceed the limit every client reads, <see cref="SyncLimits.MaxRowBytes"/>.
    /// </summary>
    /// <value>The default is <see cref="SyncLimits.MaxRowBytes"/>, 16 MiB; at least 1 KiB.</value>
    public int MaxRowBytes { get; set; } = SyncLimits.MaxRowBytes;

    /// <summary>
    /// Gets or sets how many bytes of rows one read brings into memory: a list page, a page of a feed's snapshot, a page of
    /// the change log a feed sends. A list page ends early when its rows reach this size (<c>hasMore</c> is then true);
    /// a page always holds at least one row, so it holds at most this plus one row (<see cref="MaxRowBytes"/>).
    /// </summary>
    /// <value>The default is 1 MiB; at least 4 KiB, at most 256 MiB.</value>
    public int MaxPageBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets how large the answer of one <c>POST /sync/batch</c> may grow before the server stops applying its
    /// items: once the results written reach this size, the items left are not applied (the answer holds fewer results;
    /// the client sends them again in its next batch). The first item is always applied, so an answer holds at most this
    /// plus one row. This also bounds what one batch stores in idempotency records.
    /// </summary>
    /// <value>The default is 4 MiB; at least 64 KiB.</value>
    public long MaxBatchAnswerBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest number of change feeds one client (its <c>X-Client-Id</c>, or its address when it sends
    /// none) may have open at once; one more is refused with 503 <c>too_many_feeds</c> and <c>Retry-After</c>.
    /// </summary>
    /// <value>The default is 32: one feed per resource of an app with many, and room for connections the server has not yet seen close.</value>
    public int MaxFeedsPerClient { get; set; } = 32;

    /// <summary>Gets or sets the largest number of change feeds open at once on this server instance; one more is refused with 503 <c>too_many_feeds</c> and <c>Retry-After</c>.</summary>
    /// <value>The default is 10,000; at least <see cref="MaxFeedsPerClient"/>.</value>
    public int MaxFeeds { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets how large the SQLite write-ahead log may grow: SQLite checkpoints it once it holds this much
    /// (<c>PRAGMA wal_autocheckpoint</c>) and cuts the file back to it when it starts the log over
    /// (<c>PRAGMA journal_size_limit</c>). No read holds a transaction while a client reads, so checkpoints complete and
    /// the log stays within about this size plus one write transaction. SQLite store only.
    /// </summary>
    /// <value>The default is 4 MiB (SQLite's own checkpoint interval of 1,000 pages); at least 64 KiB.</value>
    public long WalSizeLimit { get; set; } = 4 * 1024 * 1024;

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

    /// <summary>
    /// Gets or sets how the server names the user of an authenticated request. The client ids, idempotency records
    /// and origins of an authenticated request are that user's (docs/security.md): a client cannot act under
    /// another user's client id. An authenticated request whose user has no id is refused (403 <c>unidentified_user</c>).
    /// </summary>
    /// <value>
    /// The default reads the <see cref="ClaimTypes.NameIdentifier"/> claim, else <c>sub</c> (a JWT's subject, when the
    /// handler does not map it), else the identity's name.
    /// </value>
    public Func<ClaimsPrincipal, string?> UserId { get; set; } = DefaultUserId;

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

    private static string? DefaultUserId(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value ?? user.Identity?.Name;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(UserId, nameof(UserId));
        if (StoreFactory is null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(DatabasePath, nameof(DatabasePath));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdempotencyRetention, TimeSpan.Zero, nameof(IdempotencyRetention));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChangeRetention, TimeSpan.Zero, nameof(ChangeRetention));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRowBytes, 1024, nameof(MaxRowBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRowBytes, SyncLimits.MaxRowBytes, nameof(MaxRowBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestBodySize, 1, nameof(MaxRequestBodySize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestBodySize, MaxRowBytes, nameof(MaxRequestBodySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPageBytes, 4 * 1024, nameof(MaxPageBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPageBytes, 256 * 1024 * 1024, nameof(MaxPageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchAnswerBytes, 64 * 1024, nameof(MaxBatchAnswerBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFeedsPerClient, 1, nameof(MaxFeedsPerClient));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFeeds, MaxFeedsPerClient, nameof(MaxFeeds));
        ArgumentOutOfRangeException.ThrowIfLessThan(WalSizeLimit, 64 * 1024, nameof(WalSizeLimit));
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

        if (MaxRetainedChangeBytes is < 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetainedChangeBytes), MaxRetainedChangeBytes, "MaxRetainedChangeBytes must be null or at least 1 MiB.");
        }
    }
}
