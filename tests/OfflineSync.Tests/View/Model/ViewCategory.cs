using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Tests.View.Model;

/// <summary>
/// A hand-written entity, as the generator would emit it, so the view can be tested on its own.
/// It is the target of <see cref="ViewTodo"/>'s references (S13).
/// </summary>
public sealed class ViewCategory : ISyncEntity<ViewCategory>
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public static string ResourceName => "view-categories";

    public static SyncKeyKind KeyKind => SyncKeyKind.String;

    public static JsonTypeInfo<ViewCategory> JsonTypeInfo => SyncJson.GetTypeInfo<ViewCategory>();

    public static string GetKey(ViewCategory entity) => entity.Id;

    public static void SetKey(ViewCategory entity, string key) => entity.Id = key;

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(ViewCategory entity) => null;

    public static void SetVersion(ViewCategory entity, string? version)
    {
    }

    public static void VisitReferences<TVisitor>(ViewCategory entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
    }

    public static ISyncPatch<ViewCategory> Diff(ViewCategory before, ViewCategory after) =>
        new ViewCategoryPatch { Name = before.Name == after.Name ? Optional<string>.Unset : new Optional<string>(after.Name) };

    public static ISyncPatch<ViewCategory> ReadPatch(ref Utf8JsonReader reader) =>
        JsonSerializer.Deserialize<ViewCategoryPatch.Wire>(ref reader, SyncJson.Options)!.ToPatch();

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"{ResourceName}:{kind}:{key}:{clientId}:{clientSequence}";
}

public sealed class ViewCategoryPatch : ISyncPatch<ViewCategory>
{
    public Optional<string> Name { get; init; }

    public bool IsEmpty => !Name.HasValue;

    public void ApplyTo(ViewCategory entity)
    {
        if (Name.TryGetValue(out string? name))
        {
            entity.Name = name;
        }
    }

    public ISyncPatch<ViewCategory> Merge(ISyncPatch<ViewCategory> later)
    {
        var next = (ViewCategoryPatch)later;
        return new ViewCategoryPatch { Name = next.Name.HasValue ? next.Name : Name };
    }

    public void WriteTo(Utf8JsonWriter writer) =>
        JsonSerializer.Serialize(writer, new Wire { Name = Name.HasValue ? Name.Value : null }, SyncJson.Options);

    public void VisitReferences<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
    }

    internal sealed class Wire
    {
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? Name { get; set; }

        public ViewCategoryPatch ToPatch() => new() { Name = Name is null ? Optional<string>.Unset : new Optional<string>(Name) };
    }
}
