namespace OfflineSync;

/// <summary>
/// Provides data for <see cref="SyncClient.MutationDropped"/>: a full queue dropped its oldest mutation to make room
/// (<see cref="QueueFullPolicy.DropOldest"/>, S7).
/// </summary>
public sealed class MutationDroppedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="mutation">The dropped mutation.</param>
    public MutationDroppedEventArgs(PendingMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        Mutation = mutation;
    }

    /// <summary>Gets the dropped mutation.</summary>
    public PendingMutation Mutation { get; }

    /// <summary>Gets the resource name.</summary>
    public string Resource => Mutation.Resource;

    /// <summary>
    /// Gets the key of the item, as <see cref="PendingMutation.Key"/>: the optimistic key while the item's create is
    /// unconfirmed, the server key once it is.
    /// </summary>
    public string Key => Mutation.Key;
}
