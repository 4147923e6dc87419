using System.Globalization;
using System.Text.Json;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Resources;

/// <summary>Applies mutations of entity <typeparamref name="T"/> through its generated static members: JSON contract, keys, versions, reference visitor and patch reader.</summary>
internal sealed class SyncResource<T> : SyncResource
    where T : class, ISyncEntity<T>
{
    public override string Name => T.ResourceName;

    public override SyncKeyKind KeyKind => T.KeyKind;

    protected override MutationOutcome Create(WriteSession session, in MutationRequest request, BatchScope? scope, TimeProvider time)
    {
        T? entity;
        try
        {
            entity = JsonSerializer.Deserialize(request.Body.Span, T.JsonTypeInfo);
        }
        catch (JsonException e)
        {
            return MutationOutcome.Fail(SyncProblem.InvalidBody(e.Message));
        }

        if (entity is null)
        {
            return MutationOutcome.Fail(SyncProblem.InvalidBody($"Expected a {Name} object, not null."));
        }

        string proposed = T.GetKey(entity) ?? "";
        bool proposedIsOptimistic = proposed.Length > 0 && T.IsOptimisticKey(proposed);
        string? origin = request.OptimisticKey is { Length: > 0 } header ? header : proposedIsOptimistic ? proposed : null;

        var guard = new ReferenceGuard(scope, request.ClientId);
        T.VisitReferences(entity, ref guard);
        if (guard.OffendingKey is not null)
        {
            return MutationOutcome.Fail(SyncProblem.OptimisticReference(guard.OffendingResource!, guard.OffendingKey));
        }

        string? key = ServerKeys.Assign(session, Name, KeyKind, proposed, proposedIsOptimistic, time);
        if (key is null)
        {
            return MutationOutcome.Fail(SyncProblem.KeySpaceExhausted(Name));
        }

        const long version = 1;
        byte[] json = Serialize(entity, key, version);
        session.InsertRow(Name, key, json, version, request.ClientId, origin);
        return new MutationOutcome(201) { Key = key, OptimisticKey = origin, Version = version, Body = json };
    }

    protected override MutationOutcome Update(WriteSession session, in MutationRequest request, BatchScope? scope)
    {
        string key = ResolveTarget(request, scope);
        StoredRow? row = session.GetRow(Name, key);
        if (row is null)
        {
            return MutationOutcome.Fail(SyncProblem.NotFound(Name, key));
        }

        if (row.Deleted)
        {
            return MutationOutcome.Fail(SyncProblem.Gone(Name, key));
        }

        if (request.IfMatch is long expected && expected != row.Version)
        {
            return MutationOutcome.Fail(SyncProblem.VersionConflict(Name, key, expected, new StoredRowView(row.Json, row.Version)));
        }

        ISyncPatch<T> patch;
        try
        {
            var reader = new Utf8JsonReader(request.Body.Span);
            patch = T.ReadPatch(ref reader);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return MutationOutcome.Fail(SyncProblem.InvalidBody(e.Message));
        }

        var guard = new ReferenceGuard(scope, request.ClientId);
        patch.VisitReferences(ref guard);
        if (guard.OffendingKey is not null)
        {
            return MutationOutcome.Fail(SyncProblem.OptimisticReference(guard.OffendingResource!, guard.OffendingKey));
        }

        T entity = JsonSerializer.Deserialize(row.Json, T.JsonTypeInfo)!;
        patch.ApplyTo(entity);
        long version = row.Version + 1;
        byte[] json = Serialize(entity, key, version);
        session.UpdateRow(Name, key, json, version, row.OriginOptimisticKey, deleted: false);
        return new MutationOutcome(200) { Key = key, OptimisticKey = row.OriginOptimisticKey, Version = version, Body = json };
    }

    protected override MutationOutcome Delete(WriteSession session, in MutationRequest request, BatchScope? scope)
    {
        string key = ResolveTarget(request, scope);
        StoredRow? row = session.GetRow(Name, key);
        if (row is null || row.Deleted)
        {
            // Deleting what is already gone succeeds: the client's intent holds.
            return new MutationOutcome(204) { Key = key, OptimisticKey = row?.OriginOptimisticKey };
        }

        if (request.IfMatch is long expected && expected != row.Version)
        {
            return MutationOutcome.Fail(SyncProblem.VersionConflict(Name, key, expected, new StoredRowView(row.Json, row.Version)));
        }

        session.UpdateRow(Name, key, null, row.Version + 1, row.OriginOptimisticKey, deleted: true);
        return new MutationOutcome(204) { Key = key, OptimisticKey = row.OriginOptimisticKey };
    }

    /// <summary>
    /// An update or delete may target a row created earlier in the same batch by the key the client
    /// gave it: an optimistic key, or a proposed key the server replaced because it was taken.
    /// </summary>
    private string ResolveTarget(in MutationRequest request, BatchScope? scope)
    {
        string key = request.Key ?? "";
        if (scope is not null && scope.TryResolve(Name, request.ClientId, key, out string serverKey))
        {
            return serverKey;
        }

        return key;
    }

    private static byte[] Serialize(T entity, string key, long version)
    {
        T.SetKey(entity, key);
        T.SetVersion(entity, version.ToString(CultureInfo.InvariantCulture));
        return JsonSerializer.SerializeToUtf8Bytes(entity, T.JsonTypeInfo);
    }
}
