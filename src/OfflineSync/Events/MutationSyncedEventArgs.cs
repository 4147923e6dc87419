namespace OfflineSync;

/// <summary>Provides data for <see cref="SyncClient.MutationSynced"/>: the server applied a mutation and it left the queue.</summary>
/// <remarks>
/// Carries both keys of the item: <see cref="Key"/>, the key the mutation was queued and sent under (for a create made
/// with an optimistic key, that key, as in the other mutation events), and <see cref="ServerKey"/>, the key the server
/// stored. They differ only for a create the server gave another key; <see cref="SyncClient.IdRemapped"/> reports that
/// mapping too.
/// </remarks>
public sealed class MutationSyncedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="mutation">The mutation as it was when sent.</param>
    /// <param name="serverKey">The key the server stored.</param>
    /// <param name="version">The row's new version, or <see langword="null"/> after a delete.</param>
    public MutationSyncedEventArgs(PendingMutation mutation, string serverKey, string? version)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        ArgumentNullException.ThrowIfNull(serverKey);
        Mutation = mutation;
        ServerKey = serverKey;
        Version = version;
    }

    /// <summary>Gets the mutation as it was when sent; its <see cref="PendingMutation.Key"/> is <see cref="Key"/>.</summary>
    public PendingMutation Mutation { get; }

    /// <summary>Gets the resource name.</summary>
    public string Resource => Mutation.Resource;

    /// <summary>Gets the key the mutation was sent under: the optimistic key for a create made with one.</summary>
    public string Key => Mutation.Key;

    /// <summary>Gets the key the server stored.</summary>
    public string ServerKey { get; }

    /// <summary>Gets the row's new version, or <see langword="null"/> after a delete.</summary>
    public string? Version { get; }
}
