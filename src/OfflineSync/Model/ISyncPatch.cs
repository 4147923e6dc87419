using System.Text.Json;

namespace OfflineSync;

/// <summary>A partial update of an entity: the properties that are set, nothing else.</summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <remarks>The generated <c>TPatch</c> types (for example <c>TodoPatch</c>) implement it.</remarks>
public interface ISyncPatch<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Gets whether no property is set.</summary>
    bool IsEmpty { get; }

    /// <summary>Writes the set properties onto <paramref name="entity"/>.</summary>
    void ApplyTo(TEntity entity);

    /// <summary>Returns a new patch with this patch's properties overwritten by those set in <paramref name="later"/>.</summary>
    ISyncPatch<TEntity> Merge(ISyncPatch<TEntity> later);

    /// <summary>Writes a JSON object holding only the set properties.</summary>
    void WriteTo(Utf8JsonWriter writer);

    /// <summary>Calls <paramref name="visitor"/> for every reference slot among the set properties.</summary>
    void VisitReferences<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor;
}
