namespace OfflineSync;

/// <summary>A row as the server last reported it. The entity is never changed after the row is made.</summary>
/// <param name="Entity">The row's state.</param>
/// <param name="Version">The row's version, or <see langword="null"/> when the server sent none.</param>
/// <param name="OriginOptimisticKey">The optimistic key the row was created from, when the server knows one (S15).</param>
internal sealed record ServerRow<TEntity>(TEntity Entity, string? Version, string? OriginOptimisticKey)
    where TEntity : class, ISyncEntity<TEntity>;
