namespace OfflineSync;

/// <summary>The items of a set after a change.</summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
public sealed class SyncSetChangedEventArgs<TEntity> : EventArgs
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="items">The snapshot after the change.</param>
    public SyncSetChangedEventArgs(IReadOnlyList<TEntity> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
    }

    /// <summary>Gets a consistent snapshot of the items after the change.</summary>
    public IReadOnlyList<TEntity> Items { get; }
}
