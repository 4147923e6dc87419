using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>The confirmed mappings from optimistic (or proposed) keys to server keys, per resource (S3).</summary>
public sealed class SyncIdMap
{
    private readonly SyncEngine _engine;

    internal SyncIdMap(SyncEngine engine) => _engine = engine;

    /// <summary>Finds the server key of an item the client created under <paramref name="optimisticKey"/>.</summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <param name="optimisticKey">The optimistic or proposed key, in canonical string form.</param>
    /// <param name="serverKey">The server key, when the server confirmed the item under another key.</param>
    /// <returns>Whether a mapping exists; <see langword="false"/> while unconfirmed or when the server kept the key.</returns>
    public bool TryResolve<TEntity>(string optimisticKey, [NotNullWhen(true)] out string? serverKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        ArgumentNullException.ThrowIfNull(optimisticKey);
        return _engine.TryResolve(EntityTypeId<TEntity>.Value, optimisticKey, out serverKey);
    }

    /// <summary>Finds the server key of an item the client created under <paramref name="optimisticKey"/>.</summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="long"/> or <see cref="int"/>.</typeparam>
    /// <param name="optimisticKey">The optimistic or proposed key.</param>
    /// <param name="serverKey">The server key, when the server confirmed the item under another key.</param>
    /// <returns>Whether a mapping exists.</returns>
    public bool TryResolve<TEntity, TKey>(TKey optimisticKey, [MaybeNullWhen(false)] out TKey serverKey)
        where TEntity : class, ISyncEntity<TEntity>
        where TKey : notnull
    {
        if (TryResolve<TEntity>(SyncKeys.Format(optimisticKey), out string? server))
        {
            serverKey = SyncKeys.Parse<TKey>(server);
            return true;
        }

        serverKey = default;
        return false;
    }
}
