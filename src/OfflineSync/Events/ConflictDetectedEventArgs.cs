namespace OfflineSync;

/// <summary>Provides data for <see cref="SyncClient.ConflictDetected"/>: the server reported a conflict on a mutation (S10).</summary>
public sealed class ConflictDetectedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="conflict">The conflict.</param>
    public ConflictDetectedEventArgs(SyncConflict conflict)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        Conflict = conflict;
    }

    /// <summary>Gets the conflict: what the client sent, what the server holds, and the strategy that resolves it.</summary>
    public SyncConflict Conflict { get; }

    /// <summary>Gets the resource name.</summary>
    public string Resource => Conflict.Resource;

    /// <summary>
    /// Gets the key of the item, as <see cref="SyncConflict.Key"/>: the optimistic key for a create (and for a mutation
    /// of an item whose create is unconfirmed), the server key otherwise.
    /// </summary>
    public string Key => Conflict.Key;
}
