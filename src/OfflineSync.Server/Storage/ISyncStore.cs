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

    /// <summary>Reads one page of live rows ordered by key after <paramref name="after"/>, within <paramref name="budget"/>, and the head it is consistent with.</summary>
    Task<RowPage> ListPageAsync(ReadScope scope, string? after, PageBudget budget, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one page of a feed's snapshot: the live rows whose last change is after <paramref name="after"/> and at most
    /// <paramref name="through"/>, ordered by that sequence, within <paramref name="budget"/>. The first page passes
    /// <see langword="null"/> and gets the head of its database snapshot as the bound (<see cref="RowPage.Sequence"/>);
    /// later pages pass that bound. Each page is a short read of its own: nothing is held between pages. A row that
    /// changes after the bound moves past it and is sent by the change log after the bound, so the pages and the log
    /// after the bound make up every row, each event with the sequence of its row's last change, in order.
    /// </summary>
    Task<RowPage> ReadSnapshotPageAsync(ReadScope scope, long after, long? through, PageBudget budget, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the changes of <paramref name="resource"/> after <paramref name="after"/>, within <paramref name="budget"/>, with
    /// the log's bounds from the same snapshot. Not scoped to a reader: one page serves every feed of the resource
    /// (<see cref="Feed.ChangeReads"/>), which scopes it for its own reader.
    /// </summary>
    Task<ChangePage> ReadChangesAsync(string resource, long after, PageBudget budget, CancellationToken cancellationToken);
}
