namespace OfflineSync;

/// <summary>The non-generic face of one registered entity type, so the engine can hold all of them in one list.</summary>
internal abstract class ResourceModel
{
    public abstract string Resource { get; }

    public abstract Type EntityType { get; }

    public abstract SyncKeyKind KeyKind { get; }
}

/// <summary>Bridges the static members of <typeparamref name="TEntity"/> to <see cref="ResourceModel"/>.</summary>
internal sealed class ResourceModel<TEntity> : ResourceModel
    where TEntity : class, ISyncEntity<TEntity>
{
    public override string Resource => TEntity.ResourceName;

    public override Type EntityType => typeof(TEntity);

    public override SyncKeyKind KeyKind => TEntity.KeyKind;
}
