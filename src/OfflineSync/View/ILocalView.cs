using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>
/// What the engine tells the local view of one resource, and what it asks of it. The view holds the
/// server rows plus an overlay of pending local changes, keyed by their queue sequence, and shows
/// server state with the overlay on top (S1, S16–S19).
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal interface ILocalView<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Shows a new item at once (S1), from the create's queued payload; the view reads it only when it shows the item.</summary>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="key">The item's key (optimistic or proposed), as the payload holds it.</param>
    /// <param name="json">The payload: the entity's JSON. It must not change afterwards.</param>
    /// <param name="openReferences">
    /// The keys its reference slots hold that a mapping may still rewrite, as (resource, key): those of creates still
    /// queued (S3); <see langword="null"/> when there are none.
    /// </param>
    void AddCreate(long sequence, string key, ReadOnlyMemory<byte> json, (string Resource, string Key)[]? openReferences);

    /// <summary>Applies a patch on top of the item at once (S1) and keeps it in the overlay until it is settled (S17).</summary>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="key">The item's key.</param>
    /// <param name="json">The update's queued payload: the patch's JSON. It must not change afterwards.</param>
    /// <param name="openReferences">As for <see cref="AddCreate"/>.</param>
    /// <param name="patch">
    /// The same patch as an object, with the mappings the engine knows applied, to compute the item returned without
    /// reading the JSON; the view does not keep it. <see langword="null"/>: the view reads the JSON.
    /// </param>
    /// <returns>The item as the view now shows it.</returns>
    TEntity AddUpdate(long sequence, string key, ReadOnlyMemory<byte> json, (string Resource, string Key)[]? openReferences, ISyncPatch<TEntity>? patch = null);

    /// <summary>Hides the item at once (S1); no feed event shows it again while the delete is pending (S16).</summary>
    void AddDelete(long sequence, string key);

    /// <summary>Replaces the patch of a pending update that a later update was merged into (S6 coalescing), or that a conflict replaced.</summary>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="json">The merged patch's JSON. It must not change afterwards.</param>
    /// <param name="openReferences">As for <see cref="AddCreate"/>.</param>
    void ReplaceUpdate(long sequence, ReadOnlyMemory<byte> json, (string Resource, string Key)[]? openReferences);

    /// <summary>
    /// The server applied the mutation: the overlay entry leaves and the server row takes the
    /// answered state. For a create whose key changed, the item is re-keyed, not duplicated (S3, S18).
    /// </summary>
    void Confirm(long sequence, string serverKey, string? version, ReadOnlyMemory<byte> state);

    /// <summary>The mutation will not be applied (discarded, cancelled, cleared): its overlay entry leaves; a discarded create removes its item.</summary>
    void Discard(long sequence);

    /// <summary>Replaces the server row of <paramref name="key"/> (ServerWins); an empty <paramref name="state"/> means the row is gone.</summary>
    void SetServerRow(string key, string? version, ReadOnlyMemory<byte> state);

    /// <summary>
    /// Applies a confirmed mapping: items of this resource keyed by <c>mapping.OptimisticKey</c> are
    /// re-keyed, and every reference slot of every item that points at it through a mapping of
    /// <paramref name="mapping"/>'s resource is rewritten (S3, S13).
    /// </summary>
    void ApplyMapping(IdMapping mapping);

    /// <summary>Finds an item by its optimistic or server key.</summary>
    bool TryGet(string key, [NotNullWhen(true)] out TEntity? item);

    /// <summary>Gets the server version the view holds for <paramref name="key"/>: the base version of a new update or delete (S10).</summary>
    string? GetServerVersion(string key);

    /// <summary>Gets a consistent snapshot of the visible items.</summary>
    IReadOnlyList<TEntity> Items { get; }
}
