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
    /// <summary>Shows a new item at once (S1). Its key is already set (optimistic or proposed).</summary>
    /// <remarks>The view keeps <paramref name="item"/> itself: hand over an instance nobody else holds or changes.</remarks>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="item">The item.</param>
    /// <param name="openReferences">
    /// The keys its reference slots hold that a mapping may still rewrite: those of creates still queued (S3). When
    /// <see langword="null"/>, every key the slots hold.
    /// </param>
    void AddCreate(long sequence, TEntity item, IReadOnlyList<(string Resource, string Key)>? openReferences = null);

    /// <summary>Applies a patch on top of the item at once (S1) and keeps it in the overlay until it is settled (S17).</summary>
    /// <remarks>The view keeps <paramref name="patch"/> itself: hand over an instance nobody else holds or changes.</remarks>
    /// <returns>The item as the view now shows it.</returns>
    /// <param name="sequence">The mutation's queue sequence.</param>
    /// <param name="key">The item's key.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="openReferences">As for <see cref="AddCreate"/>.</param>
    TEntity AddUpdate(long sequence, string key, ISyncPatch<TEntity> patch, IReadOnlyList<(string Resource, string Key)>? openReferences = null);

    /// <summary>Hides the item at once (S1); no feed event shows it again while the delete is pending (S16).</summary>
    void AddDelete(long sequence, string key);

    /// <summary>Replaces the patch of a pending update that a later update was merged into (S6 coalescing).</summary>
    void ReplaceUpdate(long sequence, ISyncPatch<TEntity> mergedPatch, IReadOnlyList<(string Resource, string Key)>? openReferences = null);

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
