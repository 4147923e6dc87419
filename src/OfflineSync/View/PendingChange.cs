namespace OfflineSync;

/// <summary>
/// One entry of a view's overlay: a local change the server has not confirmed yet, keyed by its
/// queue sequence. Entries are immutable; re-keying or rewriting a reference replaces the entry, so
/// an entity or patch that a snapshot may share is never changed in place.
/// </summary>
/// <param name="Kind">Create, update or delete.</param>
/// <param name="Key">The item's key: the server key once a mapping for it is known, else the optimistic or proposed key.</param>
/// <param name="Entity">For a create, the item as the app created it (a private copy); read from <see cref="Json"/> when first needed.</param>
/// <param name="Patch">For an update, the patch (a private copy); otherwise read from <see cref="Json"/> each time it is applied.</param>
internal sealed record PendingChange<TEntity>(MutationKind Kind, string Key, TEntity? Entity, ISyncPatch<TEntity>? Patch)
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Gets, for a create, the key it was made with; rows carry it as their origin optimistic key (S15).</summary>
    public string Origin { get; init; } = Key;

    /// <summary>
    /// Gets whether the server was seen holding the created row (a list row or feed event with this
    /// create's origin key). From then on the row, not the create, is the item: when the feed
    /// removes the row the item goes, and the late push answer does not bring it back.
    /// </summary>
    public bool Acknowledged { get; init; }

    /// <summary>
    /// Gets whether a list replaced the rows while this create was pending and did not hold its row.
    /// The create may then have been applied and deleted before that list, so a late push answer
    /// cannot prove the row still exists: the view asks for a refetch when it arrives.
    /// </summary>
    public bool ListedWithoutRow { get; init; }

    /// <summary>
    /// Gets the keys its reference slots hold that a mapping may still rewrite (S3), as (resource, key) pairs, or
    /// <see langword="null"/> when there are none. The engine names the keys of creates still queued; a view used on
    /// its own takes every key the slots hold.
    /// </summary>
    public (string Resource, string Key)[]? OpenReferences { get; init; }

    /// <summary>
    /// Gets the JSON of the entity or patch, when the engine handed the view its queued payload instead of an object:
    /// the view reads it only when it must show the item, so a queue that nobody looks at keeps nothing but its payloads.
    /// </summary>
    public ReadOnlyMemory<byte> Json { get; init; }
}
