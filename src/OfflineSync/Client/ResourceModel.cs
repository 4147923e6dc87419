using System.Buffers;
using System.Text.Json;

namespace OfflineSync;

/// <summary>The non-generic face of one registered entity type, so the engine can hold all of them in one list.</summary>
internal abstract class ResourceModel
{
    public abstract string Resource { get; }

    public abstract Type EntityType { get; }

    public abstract SyncKeyKind KeyKind { get; }

    /// <summary>Gets the process-wide index of the entity type; the engine's per-resource tables are arrays indexed by it.</summary>
    public abstract int TypeId { get; }

    /// <summary>Creates the engine's per-resource state (its local view among it). The one place views are made.</summary>
    public abstract ResourceRuntime CreateRuntime(SyncEngine engine);
}

/// <summary>
/// Bridges the static members of <typeparamref name="TEntity"/> to <see cref="ResourceModel"/> and holds
/// the generic payload operations of the engine: serialize and read back.
/// </summary>
internal sealed class ResourceModel<TEntity> : ResourceModel
    where TEntity : class, ISyncEntity<TEntity>
{
    public override string Resource => TEntity.ResourceName;

    public override Type EntityType => typeof(TEntity);

    public override SyncKeyKind KeyKind => TEntity.KeyKind;

    public override int TypeId => EntityTypeId<TEntity>.Value;

    public override ResourceRuntime CreateRuntime(SyncEngine engine) => new ResourceRuntime<TEntity>(engine, this);

    public static byte[] SerializeEntity(TEntity entity) => JsonSerializer.SerializeToUtf8Bytes(entity, TEntity.JsonTypeInfo);

    public static TEntity DeserializeEntity(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, TEntity.JsonTypeInfo) ?? throw new JsonException($"A queued {TEntity.ResourceName} payload is null.");

    public static byte[] SerializePatch(ISyncPatch<TEntity> patch) => EntityJson<TEntity>.SerializePatch(patch);

    /// <summary>Reads a patch; the reader is handed to the generated code on the object's first token, as JSON converters expect.</summary>
    public static ISyncPatch<TEntity> ReadPatch(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new JsonException($"A {TEntity.ResourceName} patch is empty.");
        }

        return TEntity.ReadPatch(ref reader);
    }
}
