namespace OfflineSync;

/// <summary>
/// A list the client stopped reading because the server broke the paging contract: a page that does not
/// advance, or more rows than <see cref="SyncOptions.MaxListBytes"/> allows. Not transient: the set shows
/// <see cref="SyncSetStatus.Error"/> and tries again at the longest backoff.
/// </summary>
internal sealed class ListRefusedException(string message) : Exception(message);
