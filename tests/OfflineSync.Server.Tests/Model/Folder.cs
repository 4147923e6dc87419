using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Server.Tests.Model;

/// <summary>Hand-written stand-in for a generated [Syncable] entity with a string key and no references.</summary>
public sealed class Folder : ISyncEntity<Folder>, INamed
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public static string ResourceName => "folders";

    public static SyncKeyKind KeyKind => SyncKeyKind.String;

    public static JsonTypeInfo<Folder> JsonTypeInfo => SyncJson.GetTypeInfo<Folder>();

    public static string GetKey(Folder entity) => entity.Id;

    public static void SetKey(Folder entity, string key) => entity.Id = key;

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(Folder entity) => null;

    public static void SetVersion(Folder entity, string? version)
    {
    }

    public static void VisitReferences<TVisitor>(Folder entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
    }

    public static ISyncPatch<Folder> Diff(Folder before, Folder after) => new NamePatch<Folder> { Name = after.Name };

    public static ISyncPatch<Folder> ReadPatch(ref Utf8JsonReader reader) => NamePatch<Folder>.Read(ref reader);

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"folders:{IdempotencyKeys.KindToken(kind)}:{key}:{clientId}:{clientSequence}";
}
