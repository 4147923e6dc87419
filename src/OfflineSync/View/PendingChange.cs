namespace OfflineSync;

/// <summary>
/// One entry of a view's overlay: a local change the server has not confirmed yet, keyed by its
/// queue sequence. Entries are immutable; re-keying or rewriting a reference replaces the entry, so
/// an entity or patch that a snapshot may share is never changed in place.
/// </summary>
/// <param name="Kind">Create, update or delete.</param>
/// <param name="Key">The item's key: the server key once a mapping for it is known, else the optimistic or proposed key.</param>
/// <param name="Entity">For a create, the item as the app created it (a private copy).</param>
/// <param name="Patch">For an update, the patch (a private copy).</param>
internal sealed record PendingChange<TEntity>(MutationKind Kind, string Key, TEntity? Entity, ISyncPatch<TEntity>? Patch)
    where TEntity : class, ISyncEntity<TEntity>;
