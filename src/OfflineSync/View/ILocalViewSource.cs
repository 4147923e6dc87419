namespace OfflineSync;

/// <summary>
/// An engine that holds a <see cref="LocalView{TEntity}"/> per resource. <see cref="SyncSet{TEntity}"/>
/// reads its live features (status, pending count, notifications) from the view it gets here.
/// </summary>
internal interface ILocalViewSource
{
    /// <summary>Gets the view of <typeparamref name="TEntity"/>.</summary>
    LocalView<TEntity> ViewOf<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>;
}
