using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>
/// The operations the generated typed sets call. <see cref="SyncClient"/> provides the engine; apps
/// use the typed sets, not this interface.
/// </summary>
public interface ISyncEngine
{
    /// <summary>Creates an item locally and queues its create (S1, S2); a key the app set that the protocol cannot carry throws <see cref="ArgumentException"/>.</summary>
    TEntity Create<TEntity>(TEntity item, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>;

    /// <summary>Applies a patch locally and queues the update (S1, S6).</summary>
    TEntity Update<TEntity>(string key, ISyncPatch<TEntity> patch, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>;

    /// <summary>Deletes an item locally and queues the delete (S1, S6); deleting an item the view does not show does nothing.</summary>
    void Delete<TEntity>(string key, string? idempotencyKey)
        where TEntity : class, ISyncEntity<TEntity>;

    /// <summary>Finds an item of the local view by its optimistic or server key.</summary>
    bool TryGet<TEntity>(string key, [NotNullWhen(true)] out TEntity? item)
        where TEntity : class, ISyncEntity<TEntity>;

    /// <summary>Gets a snapshot of the local view of <typeparamref name="TEntity"/>.</summary>
    IReadOnlyList<TEntity> GetItems<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>;
}
