using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Tests.View.Model;

/// <summary>
/// A hand-written entity shaped like the generator's output: a reference to a category, a list of
/// category references, a loaded navigation value (<see cref="Category"/>) and a version.
/// </summary>
public sealed class ViewTodo : ISyncEntity<ViewTodo>
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public bool Completed { get; set; }

    public string? CategoryId { get; set; }

    public List<string> TagIds { get; set; } = new();

    /// <summary>The navigation value of <see cref="CategoryId"/>, when the server sends it.</summary>
    public ViewCategory? Category { get; set; }

    public string? Version { get; set; }

    public static string ResourceName => "view-todos";

    public static SyncKeyKind KeyKind => SyncKeyKind.String;

    public static JsonTypeInfo<ViewTodo> JsonTypeInfo => SyncJson.GetTypeInfo<ViewTodo>();

    public static string GetKey(ViewTodo entity) => entity.Id;

    public static void SetKey(ViewTodo entity, string key) => entity.Id = key;

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(ViewTodo entity) => entity.Version;

    public static void SetVersion(ViewTodo entity, string? version) => entity.Version = version;

    public static void VisitReferences<TVisitor>(ViewTodo entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
        if (entity.CategoryId is not null)
        {
            string key = entity.CategoryId;
            visitor.Visit<ViewCategory, string>(ref key);
            entity.CategoryId = key;
        }

        ReferenceSlots.VisitList<ViewCategory, string, TVisitor>(entity.TagIds, ref visitor);
    }

    public static ISyncPatch<ViewTodo> Diff(ViewTodo before, ViewTodo after) => new ViewTodoPatch
    {
        Title = before.Title == after.Title ? Optional<string>.Unset : new Optional<string>(after.Title),
        Completed = before.Completed == after.Completed ? Optional<bool>.Unset : new Optional<bool>(after.Completed),
        CategoryId = before.CategoryId == after.CategoryId ? Optional<string?>.Unset : new Optional<string?>(after.CategoryId),
    };

    public static ISyncPatch<ViewTodo> ReadPatch(ref Utf8JsonReader reader) => ViewTodoPatch.Read(ref reader);

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"{ResourceName}:{kind}:{key}:{clientId}:{clientSequence}";
}
