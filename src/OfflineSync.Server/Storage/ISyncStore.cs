namespace OfflineSync.Server.Storage;

/// <summary>
/// Where the server keeps rows, versions, origins, the change log, idempotency records and key sequences
/// (docs/protocol.md, "Server storage"). <see cref="Sqlite.SqliteSyncStore"/> keeps them in one file for one
/// server instance; the PostgreSQL store keeps them in a database that several instances share.
/// </summary>
/// <remarks>
/// <para>
/// The contract every implementation keeps: a write transaction is all or nothing (row, change-log entry and
/// idempotency record together); change-log sequences grow, and commit in sequence order, so a reader that
/// reads the log after a position never sees a later sequence before an earlier one that will still commit;
/// every read sees one consistent snapshot.
/// </para>
/// <para>
/// Reads take a <see cref="ReadScope"/> (the change log, shared by all feeds, is scoped per feed as it is sent)
/// and writes go through <see cref="IWriteSession"/>, which reads the stored row before any change is made: the
/// places where per-request row policies plug in.
/// </para>
/// </remarks>
internal interface ISyncStore : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Gets the newest committed sequence this instance knows of: its own commits at once, other instances'
    /// when the database tells it or its poll finds them. A hint for waking feeds, never a bound for reading.
    /// </summary>
    long KnownHead { get; }

    /// <summary>Raised, outside any lock, when <see cref="KnownHead"/> grows.</summary>
    event Action<long>? Committed;

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction: commits when it returns, rolls back when it
    /// throws. A store may run <paramref name="work"/> again on a fresh transaction after a conflict with a
    /// concurrent writer, so it must compute everything from the session and have no other effect.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Reads one live row.</summary>
    Task<RowItem?> GetRowAsync(ReadScope scope, string key, CancellationToken cancellationToken);

    /// <summary>Reads one page of live rows ordered by key after <paramref name="after"/>, and the head it is consistent with.</summary>
    Task<RowPage> ListPageAsync(ReadScope scope, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the live rows ordered by the sequence of their last change, from one snapshot whose head is
    /// passed to <paramref name="head"/> before the first row. Ordered so, the snapshot is a compacted change
    /// log: a reader cut off after any row resumes from that row's sequence without a gap.
    /// </summary>
    IAsyncEnumerable<RowItem> ReadSnapshotAsync(ReadScope scope, Action<long> head, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="limit"/> changes of <paramref name="resource"/> after <paramref name="after"/>, with the
    /// log's bounds from the same snapshot. Not scoped to a reader: one page serves every feed of the resource
    /// (<see cref="Feed.ChangeReads"/>), which scopes it for its own reader.
    /// </summary>
    Task<ChangePage> ReadChangesAsync(string resource, long after, int limit, CancellationToken cancellationToken);
}
