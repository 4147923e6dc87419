using System.Text.Json;

namespace OfflineSync.Server.Tests.Model;

/// <summary>Entities whose only patchable field in these tests is a name.</summary>
public interface INamed
{
    string Name { get; set; }
}

/// <summary>A hand-written patch of <see cref="INamed.Name"/>, written the way the generated patches are: only set fields go on the wire.</summary>
public sealed class NamePatch<T> : ISyncPatch<T>
    where T : class, ISyncEntity<T>, INamed
{
    public Optional<string> Name { get; set; }

    public bool IsEmpty => !Name.HasValue;

    public void ApplyTo(T entity)
    {
        if (Name.HasValue)
        {
            entity.Name = Name.Value;
        }
    }

    public ISyncPatch<T> Merge(ISyncPatch<T> later) => later is NamePatch<T> { Name.HasValue: true } ? later : this;

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Name.HasValue)
        {
            writer.WriteString("name", Name.Value);
        }

        writer.WriteEndObject();
    }

    public void VisitReferences<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
    }

    public static NamePatch<T> Read(ref Utf8JsonReader reader)
    {
        var patch = new NamePatch<T>();
        PatchJson.ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
        {
            if (name == "name")
            {
                patch.Name = r.GetString()!;
                return true;
            }

            return false;
        });
        return patch;
    }
}

/// <summary>Reads a patch object property by property.</summary>
public static class PatchJson
{
    public delegate bool PropertyReader(ref Utf8JsonReader reader, string name);

    public static void ReadObject(ref Utf8JsonReader reader, PropertyReader property)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A patch must be a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (!property(ref reader, name))
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("The patch is truncated.");
        }
    }
}
