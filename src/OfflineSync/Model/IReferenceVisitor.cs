using System.ComponentModel;

namespace OfflineSync;

/// <summary>
/// Visits every reference slot of an entity or patch. Generated <c>VisitReferences</c> methods call
/// <see cref="Visit{TTarget, TKey}"/> once per key they hold, list and array elements included, at
/// every depth of nested non-entity objects.
/// </summary>
/// <remarks>
/// Implement it as a <see langword="struct"/>: the generated code is generic over the visitor, so the
/// call is devirtualized and inlined and nothing is boxed.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IReferenceVisitor
{
    /// <summary>Visits one key slot that references entity <typeparamref name="TTarget"/>.</summary>
    /// <typeparam name="TTarget">The referenced entity type.</typeparam>
    /// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="long"/> or <see cref="int"/>.</typeparam>
    /// <param name="key">The key; assigning it writes the new value back to the slot.</param>
    void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull;
}
