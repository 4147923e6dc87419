namespace OfflineSync;

/// <summary>A typed mutation of entity <typeparamref name="TEntity"/>: the generated <c>CreateT</c>, <c>UpdateT</c> and <c>DeleteT</c> records.</summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
public interface IMutation<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Gets the kind of the mutation.</summary>
    MutationKind Kind { get; }

    /// <summary>Gets the key of the mutated entity in canonical string form.</summary>
    string Key { get; }
}
