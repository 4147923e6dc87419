namespace OfflineSync;

/// <summary>Where a set's local view stands with the server's change feed (S15).</summary>
public enum SyncSetStatus
{
    /// <summary>The first list of the resource has not arrived yet; only pending local changes are shown.</summary>
    Loading,

    /// <summary>The view follows the change feed: server changes show up as they happen.</summary>
    Live,

    /// <summary>The feed connection dropped; the view keeps its items and reconnects with backoff.</summary>
    Reconnecting,

    /// <summary>
    /// Reconnecting failed repeatedly, or the client is offline, or it has just started with the rows its store kept
    /// and has not reached the feed yet: the view shows what it last knew plus pending changes.
    /// </summary>
    Offline,

    /// <summary>
    /// The feed failed in a way retrying is unlikely to fix (rows the model cannot read, a list that breaks the paging
    /// rules, a list or feed the server refused with a 4xx status such as 403); retries continue at the longest backoff.
    /// </summary>
    Error,

    /// <summary>
    /// The server refused the client's credentials for the list or the feed (HTTP 401), also after one refresh: the view
    /// keeps its rows and resumes from its position once the app signals new credentials
    /// (<see cref="SyncClient.NotifyCredentialsChanged"/>).
    /// </summary>
    Unauthorized,
}
