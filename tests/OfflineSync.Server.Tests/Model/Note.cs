using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Server.Tests.Model;

/// <summary>Hand-written stand-in for a generated entity with a nullable reference, a list of references and a version property.</summary>
public sealed class Note : ISyncEntity<Note>
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>References <see cref="Folder"/>.</summary>
    public string? FolderId { get; set; }

    /// <summary>References other notes.</summary>
    public List<string> RelatedIds { get; set; } = new();

    /// <summary>The server version ([SyncVersion]).</summary>
    public string? Version { get; set; }

    public static string ResourceName => "notes";

    public static SyncKeyKind KeyKind => SyncKeyKind.String;

    public static JsonTypeInfo<Note> JsonTypeInfo => SyncJson.GetTypeInfo<Note>();

    public static string GetKey(Note entity) => entity.Id;

    public static void SetKey(Note entity, string key) => entity.Id = key;

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(Note entity) => entity.Version;

    public static void SetVersion(Note entity, string? version) => entity.Version = version;

    public static void VisitReferences<TVisitor>(Note entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
        if (entity.FolderId is { } folder)
        {
            visitor.Visit<Folder, string>(ref folder);
            entity.FolderId = folder;
        }

        ReferenceSlots.VisitList<Note, string, TVisitor>(entity.RelatedIds, ref visitor);
    }

    public static ISyncPatch<Note> Diff(Note before, Note after) => new NotePatch
    {
        Title = before.Title != after.Title ? after.Title : default(Optional<string>),
        FolderId = before.FolderId != after.FolderId ? after.FolderId : default(Optional<string?>),
    };

    public static ISyncPatch<Note> ReadPatch(ref Utf8JsonReader reader) => NotePatch.Read(ref reader);

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"notes:{IdempotencyKeys.KindToken(kind)}:{key}:{clientId}:{clientSequence}";
}

/// <summary>The patch of <see cref="Note"/>.</summary>
public sealed class NotePatch : ISyncPatch<Note>
{
    public Optional<string> Title { get; set; }

    public Optional<string?> FolderId { get; set; }

    public Optional<List<string>> RelatedIds { get; set; }

    public bool IsEmpty => !Title.HasValue && !FolderId.HasValue && !RelatedIds.HasValue;

    public void ApplyTo(Note entity)
    {
        if (Title.HasValue) entity.Title = Title.Value;
        if (FolderId.HasValue) entity.FolderId = FolderId.Value;
        if (RelatedIds.HasValue) entity.RelatedIds = new List<string>(RelatedIds.Value);
    }

    public ISyncPatch<Note> Merge(ISyncPatch<Note> later)
    {
        var next = (NotePatch)later;
        return new NotePatch
        {
            Title = next.Title.HasValue ? next.Title : Title,
            FolderId = next.FolderId.HasValue ? next.FolderId : FolderId,
            RelatedIds = next.RelatedIds.HasValue ? next.RelatedIds : RelatedIds,
        };
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Title.HasValue) writer.WriteString("title", Title.Value);
        if (FolderId.HasValue) writer.WriteString("folderId", FolderId.Value);
        if (RelatedIds.HasValue)
        {
            writer.WriteStartArray("relatedIds");
            foreach (string id in RelatedIds.Value) writer.WriteStringValue(id);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public void VisitReferences<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
        if (FolderId is { HasValue: true, Value: { } folder })
        {
            visitor.Visit<Folder, string>(ref folder);
            FolderId = folder;
        }

        if (RelatedIds.HasValue)
        {
            ReferenceSlots.VisitList<Note, string, TVisitor>(RelatedIds.Value, ref visitor);
        }
    }

    public static NotePatch Read(ref Utf8JsonReader reader)
    {
        var patch = new NotePatch();
        PatchJson.ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "title":
                    patch.Title = r.GetString()!;
                    return true;
                case "folderId":
                    patch.FolderId = r.GetString();
                    return true;
                case "relatedIds":
                    patch.RelatedIds = JsonSerializer.Deserialize<List<string>>(ref r, SyncJson.Options)!;
                    return true;
                default:
                    return false;
            }
        });
        return patch;
    }
}
