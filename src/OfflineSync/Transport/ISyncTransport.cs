namespace OfflineSync;

/// <summary>
/// The seam between the engine and a server: pushes mutations, lists resources and follows their
/// change feeds. <c>HttpSyncTransport</c> (package OfflineSync.Http) speaks the HTTP protocol.
/// </summary>
/// <remarks>
/// Keys travel in canonical string form (<see cref="SyncKeys"/>). A thrown
/// <see cref="HttpRequestException"/>, <see cref="IOException"/> or <see cref="TimeoutException"/>
/// counts as a transient failure of every mutation of the batch.
/// </remarks>
public interface ISyncTransport
{
    /// <summary>Pushes an ordered batch; the server applies it in order.</summary>
    /// <returns>
    /// One result per mutation, in order. The list may be shorter than the batch: the server stops
    /// at the first mutation that is not <see cref="PushResult.Applied"/>; the rest were not applied.
    /// </returns>
    Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken);

    /// <summary>Lists one page of a resource, ordered by key.</summary>
    /// <param name="resource">The resource name.</param>
    /// <param name="after">The last key of the previous page, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The largest number of rows to return.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ListPage> ListAsync(string resource, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Follows the change feed of a resource from the event after <paramref name="afterSequence"/>
    /// (0: from the start, which begins with <see cref="ChangeKind.Existing"/> events for every row).
    /// The sequence ends when the connection ends; the caller resumes from the last sequence it saw.
    /// </summary>
    IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, CancellationToken cancellationToken);
}
