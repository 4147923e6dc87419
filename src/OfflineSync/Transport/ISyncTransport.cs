namespace OfflineSync;

/// <summary>
/// The seam between the engine and a server: pushes mutations, lists resources and follows their
/// change feeds. <c>HttpSyncTransport</c> (package OfflineSync.Http) speaks the HTTP protocol.
/// </summary>
/// <remarks>
/// <para>
/// Keys travel in canonical string form (<see cref="SyncKeys"/>). Every call carries the id of the
/// client it is made for (<see cref="OutgoingMutation.ClientId"/> for pushes, a parameter for lists
/// and feeds): the server answers origin keys to the client that created a row only (S3, S15).
/// </para>
/// <para>
/// A thrown <see cref="HttpRequestException"/>, <see cref="IOException"/>,
/// <see cref="System.Net.Sockets.SocketException"/> or <see cref="TimeoutException"/>, or any
/// exception wrapping one of them, counts as a transient failure of every mutation of the batch (S9).
/// </para>
/// <para>
/// Credentials the server refused, after the transport's own attempt to refresh them, are reported as
/// <see cref="PushResult.Unauthorized"/> by a push and as a thrown <see cref="SyncUnauthorizedException"/> by any
/// call: the client then waits with <see cref="SyncStatus.Unauthorized"/> until the app has new credentials, and
/// nothing queued fails or loses an attempt.
/// </para>
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
    /// <param name="clientId">The id of the client the list is for; only its own rows carry their origin keys.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// Follows the change feed of a resource from the event after <paramref name="afterSequence"/>
    /// (0: from the start, which begins with <see cref="ChangeKind.Existing"/> events for every row).
    /// The sequence ends when the connection ends; the caller resumes from the last sequence it saw.
    /// </summary>
    /// <param name="resource">The resource name.</param>
    /// <param name="afterSequence">The last sequence the caller applied, or 0.</param>
    /// <param name="clientId">The id of the client the feed is for; only events of its own rows carry their origin keys.</param>
    /// <param name="cancellationToken">Ends the feed.</param>
    IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken);
}
