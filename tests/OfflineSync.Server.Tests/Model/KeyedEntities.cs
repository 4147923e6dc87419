using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Server.Tests.Model;

/// <summary>A long-keyed entity (server keys from a database sequence).</summary>
public sealed class Counter : ISyncEntity<Counter>, INamed
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public static string ResourceName => "counters";

    public static SyncKeyKind KeyKind => SyncKeyKind.Int64;

    public static JsonTypeInfo<Counter> JsonTypeInfo => SyncJson.GetTypeInfo<Counter>();

    public static string GetKey(Counter entity) => SyncKeys.Format(entity.Id);

    public static void SetKey(Counter entity, string key) => entity.Id = SyncKeys.Parse<long>(key);

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(Counter entity) => null;

    public static void SetVersion(Counter entity, string? version)
    {
    }

    public static void VisitReferences<TVisitor>(Counter entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
    }

    public static ISyncPatch<Counter> Diff(Counter before, Counter after) => new NamePatch<Counter> { Name = after.Name };

    public static ISyncPatch<Counter> ReadPatch(ref Utf8JsonReader reader) => NamePatch<Counter>.Read(ref reader);

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"counters:{IdempotencyKeys.KindToken(kind)}:{key}:{clientId}:{clientSequence}";
}

/// <summary>An int-keyed entity that references counters (a numeric reference slot).</summary>
public sealed class Badge : ISyncEntity<Badge>, INamed
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public long? CounterId { get; set; }

    public static string ResourceName => "badges";

    public static SyncKeyKind KeyKind => SyncKeyKind.Int32;

    public static JsonTypeInfo<Badge> JsonTypeInfo => SyncJson.GetTypeInfo<Badge>();

    public static string GetKey(Badge entity) => SyncKeys.Format(entity.Id);

    public static void SetKey(Badge entity, string key) => entity.Id = SyncKeys.Parse<int>(key);

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(Badge entity) => null;

    public static void SetVersion(Badge entity, string? version)
    {
    }

    public static void VisitReferences<TVisitor>(Badge entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
        if (entity.CounterId is long counter)
        {
            visitor.Visit<Counter, long>(ref counter);
            entity.CounterId = counter;
        }
    }

    public static ISyncPatch<Badge> Diff(Badge before, Badge after) => new NamePatch<Badge> { Name = after.Name };

    public static ISyncPatch<Badge> ReadPatch(ref Utf8JsonReader reader) => NamePatch<Badge>.Read(ref reader);

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"badges:{IdempotencyKeys.KindToken(kind)}:{key}:{clientId}:{clientSequence}";
}

/// <summary>A Guid-keyed entity (the client's proposed Guid is kept when free).</summary>
public sealed class Ticket : ISyncEntity<Ticket>, INamed
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public static string ResourceName => "tickets";

    public static SyncKeyKind KeyKind => SyncKeyKind.Guid;

    public static JsonTypeInfo<Ticket> JsonTypeInfo => SyncJson.GetTypeInfo<Ticket>();

    public static string GetKey(Ticket entity) => SyncKeys.Format(entity.Id);

    public static void SetKey(Ticket entity, string key) => entity.Id = SyncKeys.Parse<Guid>(key);

    public static bool IsOptimisticKey(string key) => OptimisticKeys.IsOptimistic(KeyKind, key);

    public static string? GetVersion(Ticket entity) => null;

    public static void SetVersion(Ticket entity, string? version)
    {
    }

    public static void VisitReferences<TVisitor>(Ticket entity, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
    }

    public static ISyncPatch<Ticket> Diff(Ticket before, Ticket after) => new NamePatch<Ticket> { Name = after.Name };

    public static ISyncPatch<Ticket> ReadPatch(ref Utf8JsonReader reader) => NamePatch<Ticket>.Read(ref reader);

    public static string CreateIdempotencyKey(MutationKind kind, string key, string clientId, long clientSequence) =>
        $"tickets:{IdempotencyKeys.KindToken(kind)}:{key}:{clientId}:{clientSequence}";
}
