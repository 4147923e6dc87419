using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync;

/// <summary>
/// The static description of a <c>[Syncable]</c> entity. The source generator implements it; the
/// engine uses it instead of reflection.
/// </summary>
/// <typeparam name="TSelf">The entity type.</typeparam>
public interface ISyncEntity<TSelf>
    where TSelf : class, ISyncEntity<TSelf>
{
    /// <summary>Gets the resource name used on the wire, for example <c>"todos"</c>.</summary>
    static abstract string ResourceName { get; }

    /// <summary>Gets the CLR type of the key.</summary>
    static abstract SyncKeyKind KeyKind { get; }

    /// <summary>Gets the key of <paramref name="entity"/> in canonical string form (see <see cref="SyncKeys"/>).</summary>
    static abstract string GetKey(TSelf entity);

    /// <summary>Sets the key of <paramref name="entity"/> from its canonical string form.</summary>
    static abstract void SetKey(TSelf entity, string key);

    /// <summary>Returns whether <paramref name="key"/> is an optimistic (client-made, unconfirmed) key of this entity's key type.</summary>
    static abstract bool IsOptimisticKey(string key);

    /// <summary>Gets the server version carried by <c>[SyncVersion]</c>, or <see langword="null"/> when the entity has none.</summary>
    static abstract string? GetVersion(TSelf entity);

    /// <summary>Sets the server version carried by <c>[SyncVersion]</c>; does nothing when the entity has none.</summary>
    static abstract void SetVersion(TSelf entity, string? version);

    /// <summary>
    /// Gets the JSON contract of the entity (camelCase, <c>[SyncIgnore]</c> members left out, nulls written): from the
    /// <c>JsonSerializerContext</c> of its project that lists it, else through reflection (see <see cref="SyncJson"/>).
    /// </summary>
    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }

    /// <summary>Calls <paramref name="visitor"/> for every reference slot of <paramref name="entity"/>.</summary>
    static abstract void VisitReferences<TVisitor>(TSelf entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor;

    /// <summary>Returns the patch that turns <paramref name="before"/> into <paramref name="after"/>.</summary>
    static abstract ISyncPatch<TSelf> Diff(TSelf before, TSelf after);

    /// <summary>Reads a patch written by <see cref="ISyncPatch{TEntity}.WriteTo(Utf8JsonWriter)"/>.</summary>
    static abstract ISyncPatch<TSelf> ReadPatch(ref Utf8JsonReader reader);

    /// <summary>Builds the idempotency key <c>{resource}:{kind}:{key}:{clientId}:{clientSequence}</c>.</summary>
    static abstract string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence);
}
