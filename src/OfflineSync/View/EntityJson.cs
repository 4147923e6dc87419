using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace OfflineSync;

/// <summary>Reads, copies and patches entities through their generated JSON contract (no reflection).</summary>
internal static class EntityJson<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_patchWriter;

    /// <summary>Reads a server row and stamps it with the key and version the server sent beside it.</summary>
    public static TEntity ReadRow(ReadOnlyMemory<byte> json, string key, string? version)
    {
        TEntity entity = JsonSerializer.Deserialize(json.Span, TEntity.JsonTypeInfo)
            ?? throw new JsonException($"The server sent null for {TEntity.ResourceName} '{key}'.");
        TEntity.SetKey(entity, key);
        if (version is not null)
        {
            TEntity.SetVersion(entity, version);
        }

        return entity;
    }

    /// <summary>
    /// Reads a row that came with a push answer. The server applied the mutation whatever its answer's body
    /// says, so a body that is not this entity (a misbehaving server or proxy) must not fail the drain:
    /// the caller keeps what it has and asks for a refetch.
    /// </summary>
    public static bool TryReadRow(ReadOnlyMemory<byte> json, string key, string? version, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TEntity? entity)
    {
        try
        {
            entity = ReadRow(json, key, version);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            entity = null;
            return false;
        }
    }

    /// <summary>Returns a deep copy, so the view can hold or rewrite it without touching the caller's instance.</summary>
    public static TEntity Clone(TEntity entity) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(entity, TEntity.JsonTypeInfo), TEntity.JsonTypeInfo)
        ?? throw new JsonException($"A {TEntity.ResourceName} item serialized to null.");

    /// <summary>
    /// Returns a copy that shares every property value with <paramref name="entity"/>: enough before setting top-level
    /// properties (a key, or a patch's values, which <c>ApplyTo</c> copies in), since no item the view holds or hands
    /// out is changed below its top level. A deep copy (<see cref="Clone(TEntity)"/>) costs a JSON round trip.
    /// </summary>
    public static TEntity ShallowCopy(TEntity entity) => (TEntity)ObjectCopy.MemberwiseClone(entity);

    /// <summary>
    /// Reads the entity of a create from the payload the engine queued, as the view shows it: under
    /// <paramref name="key"/>, with every mapping of <paramref name="mappings"/> applied (S3).
    /// </summary>
    public static TEntity ReadQueued(ReadOnlyMemory<byte> json, string key, IMappingLookup mappings)
    {
        TEntity entity = JsonSerializer.Deserialize(json.Span, TEntity.JsonTypeInfo) ?? throw new JsonException($"A queued {TEntity.ResourceName} payload is null.");
        ReferenceRewriter.RewriteOwned(entity, mappings);
        if (TEntity.GetKey(entity) != key)
        {
            TEntity.SetKey(entity, key);
        }

        return entity;
    }

    /// <summary>Reads a payload the engine queued: the patch of an update.</summary>
    public static ISyncPatch<TEntity> ReadPatch(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        if (!reader.Read())
        {
            throw new JsonException($"A {TEntity.ResourceName} patch is empty.");
        }

        return TEntity.ReadPatch(ref reader);
    }

    /// <summary>Returns a copy of <paramref name="patch"/> made through its JSON form.</summary>
    public static ISyncPatch<TEntity> Clone(ISyncPatch<TEntity> patch) => ReadPatch(SerializePatch(patch));

    /// <summary>Writes a patch's JSON: only the fields that are set.</summary>
    public static byte[] SerializePatch(ISyncPatch<TEntity> patch)
    {
        // One writer per thread, reset for each patch: the JSON is copied out, so nothing of it outlives the call.
        (ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer) = t_patchWriter ??= NewPatchWriter();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        patch.WriteTo(writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewPatchWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return (buffer, new Utf8JsonWriter(buffer));
    }

    /// <summary>
    /// Makes an item from nothing but a key: what <c>AddUpdate</c> answers for a row the view has not
    /// loaded yet (a replay after a restart runs before the refetch).
    /// </summary>
    public static TEntity Empty(string key) => ReadRow("{}"u8.ToArray(), key, version: null);
}
