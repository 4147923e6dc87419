using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>
/// The local view of one entity type and the operations on it. The generated typed sets (for
/// example <c>AppSync.TodoSet</c>) derive from it and add overloads typed by the key and the patch.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
public abstract class SyncSet<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    private readonly ISyncEngine _engine;

    /// <summary>Creates the set over an engine.</summary>
    protected SyncSet(ISyncEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
    }

    /// <summary>Gets the resource name.</summary>
    public string Resource => TEntity.ResourceName;

    /// <summary>Gets a snapshot of the items of the local view.</summary>
    public IReadOnlyList<TEntity> Items => _engine.GetItems<TEntity>();

    /// <summary>
    /// Creates <paramref name="item"/> locally at once and queues its create. An item without a key
    /// gets an optimistic key; a key the app set is proposed to the server (S2).
    /// </summary>
    /// <param name="item">The new item.</param>
    /// <param name="idempotencyKey">An optional key: a second call with the same key while the first is queued returns the first's item.</param>
    /// <returns>The item as the local view holds it, with its key set.</returns>
    public TEntity Create(TEntity item, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _engine.Create(item, idempotencyKey);
    }

    /// <summary>Edits an item locally at once and queues the properties the edit changed.</summary>
    /// <param name="key">The item's optimistic or server key.</param>
    /// <param name="edit">Changes a copy of the item.</param>
    /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
    /// <returns>The item after the edit.</returns>
    public TEntity Update(string key, Action<TEntity> edit, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(edit);
        if (!_engine.TryGet<TEntity>(key, out TEntity? current))
        {
            throw new KeyNotFoundException($"No {TEntity.ResourceName} item has the key '{key}'.");
        }

        TEntity after = SyncJson.Clone(current);
        edit(after);
        return UpdateCore(key, TEntity.Diff(current, after), idempotencyKey);
    }

    /// <summary>Deletes an item locally at once and queues the delete.</summary>
    /// <param name="key">The item's optimistic or server key.</param>
    /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
    public void Delete(string key, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _engine.Delete<TEntity>(key, idempotencyKey);
    }

    /// <summary>Finds an item by its optimistic or server key.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out TEntity? item)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _engine.TryGet(key, out item);
    }

    /// <summary>Applies a typed patch; the generated <c>Update(key, TPatch)</c> overloads call it.</summary>
    protected TEntity UpdateCore(string key, ISyncPatch<TEntity> patch, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(patch);
        return _engine.Update(key, patch, idempotencyKey);
    }
}
