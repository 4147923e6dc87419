namespace OfflineSync;

/// <summary>
/// A transport that tells when a feed connection is open, before its first event: a feed that resumes with nothing
/// missed may stay silent for long, and its set is <see cref="SyncSetStatus.Live"/> from the moment the server
/// answered. <c>HttpSyncTransport</c> implements it; with another transport a set shows <see cref="SyncSetStatus.Live"/>
/// when it starts following after a success, and otherwise once an event arrives.
/// </summary>
internal interface IFeedConnectionSignal
{
    /// <summary>Follows the feed like <see cref="ISyncTransport.FollowAsync"/>, calling <paramref name="connected"/> once the server accepted the request.</summary>
    IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, Action connected, CancellationToken cancellationToken);
}
