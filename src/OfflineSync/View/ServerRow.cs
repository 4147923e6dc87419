namespace OfflineSync;

/// <summary>A row as the server last reported it. The entity is never changed after the row is made.</summary>
/// <param name="Version">The row's version, or <see langword="null"/> when the server sent none.</param>
/// <param name="OriginOptimisticKey">The optimistic key the row was created from, when the server knows one (S15).</param>
internal sealed record ServerRow<TEntity>(string? Version, string? OriginOptimisticKey)
    where TEntity : class, ISyncEntity<TEntity>
{
    private readonly LocalSource? _source;
    private TEntity? _entity;

    /// <summary>Creates a row holding <paramref name="entity"/>.</summary>
    public ServerRow(TEntity entity, string? version, string? originOptimisticKey)
        : this(version, originOptimisticKey) => _entity = entity;

    private ServerRow(LocalSource source, string? version, string? originOptimisticKey)
        : this(version, originOptimisticKey) => _source = source;

    /// <summary>Gets the row's state; a row built from a create's queued payload reads it when first asked. Read under the view's lock.</summary>
    public TEntity Entity
    {
        get => _entity ??= _source!.Read();
        init => _entity = value;
    }

    /// <summary>Gets whether <see cref="Entity"/> was made: a row still held as JSON takes every mapping when it is read.</summary>
    public bool IsRead => _entity is not null;

    /// <summary>
    /// A row built from the queued payload of a create the server confirmed without sending its state: it is read,
    /// under <paramref name="key"/> and with the mappings known then (S3), only when something shows it.
    /// </summary>
    public static ServerRow<TEntity> FromPayload(ReadOnlyMemory<byte> json, string key, string? version, string? originOptimisticKey, IMappingLookup mappings) =>
        new(new LocalSource(json, key, mappings), version, originOptimisticKey);

    private sealed class LocalSource(ReadOnlyMemory<byte> json, string key, IMappingLookup mappings)
    {
        public TEntity Read() => EntityJson<TEntity>.ReadQueued(json, key, mappings);
    }
}
