using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using OfflineSync.Server.Access;
using OfflineSync.Server.Json;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Resources;

/// <summary>Applies mutations of entity <typeparamref name="T"/> through its generated static members: JSON contract, keys, versions, reference visitor and patch reader.</summary>
internal sealed class SyncResource<T> : SyncResource
    where T : class, ISyncEntity<T>
{
    public override string Name => T.ResourceName;

    public override SyncKeyKind KeyKind => T.KeyKind;

    /// <summary>Gets or sets who may read and write which rows; <see langword="null"/> for every caller, every row.</summary>
    public SyncRowPolicy<T>? Policy { get; set; }

    public override IReadOnlyCollection<string>? ReadKeysFor(ClaimsPrincipal user) => Policy?.GetReadKeys(user);

    protected override async ValueTask<MutationOutcome> CreateAsync(IWriteSession session, MutationRequest request, BatchScope? scope, SyncServerOptions options)
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
        if (proposed.Length > 0 && InputRules.CheckKey(proposed, "The entity's key") is { } invalidKey)
        {
            return MutationOutcome.Fail(invalidKey);
        }

        // X-Optimistic-Id names the body's key, nothing else: a different value could only be a claim on another client's key.
        if (request.OptimisticKey is { } header && !string.Equals(header, proposed, StringComparison.Ordinal))
        {
            return MutationOutcome.Fail(SyncProblem.InvalidHeader($"{Protocol.SyncHeaderNames.OptimisticId} must equal the entity's key '{proposed}', not '{header}'."));
        }

        var guard = new ReferenceGuard(scope);
        T.VisitReferences(entity, ref guard);
        if (guard.Problem is { } refused)
        {
            return MutationOutcome.Fail(refused);
        }

        string? owner = Policy?.GetOwner(request.Caller);
        if (Policy is { } policy && !policy.CanWrite(request.Caller, new SyncRowWrite<T>(MutationKind.Create, owner, null, entity)))
        {
            return MutationOutcome.Fail(SyncProblem.WriteRefused(Name, key: null, request.Caller));
        }

        bool proposedIsOptimistic = proposed.Length > 0 && T.IsOptimisticKey(proposed);
        string? key = await ServerKeys.AssignAsync(session, Name, KeyKind, proposed, proposedIsOptimistic, options.TimeProvider).ConfigureAwait(false);
        if (key is null)
        {
            return MutationOutcome.Fail(SyncProblem.KeySpaceExhausted(Name));
        }

        const long version = 1;
        byte[] json = Serialize(entity, key, version);
        if (json.Length > options.MaxRowBytes)
        {
            return MutationOutcome.Fail(SyncProblem.RowTooLarge(options.MaxRowBytes, json.Length));
        }

        string? sent = proposed.Length > 0 ? proposed : null;
        RowAccess? access = Policy is { } rowPolicy ? RowAccess.Created(owner, rowPolicy.GetRowKeys(entity, owner)) : null;
        session.InsertRow(Name, key, json, version, request.ClientId, Origins.ToStore(KeyKind, request.ClientId, sent), access);

        // The sender always learns what became of the key it sent, origin or not: a taken proposal maps like an optimistic key.
        return new MutationOutcome(201) { Key = key, OptimisticKey = sent, Version = version, Body = json };
    }

    protected override async ValueTask<MutationOutcome> UpdateAsync(IWriteSession session, MutationRequest request, BatchScope? scope, SyncServerOptions options)
    {
        string key = ResolveTarget(request, scope);
        StoredRow? row = await session.GetRowAsync(Name, key).ConfigureAwait(false);
        if (row is null || (row.Deleted && HiddenFrom(request.Caller, row)))
        {
            return MutationOutcome.Fail(SyncProblem.NotFound(Name, key));
        }

        if (row.Deleted)
        {
            return MutationOutcome.Fail(SyncProblem.Gone(Name, key));
        }

        if (!TryReadPatch(request.Body, out ISyncPatch<T>? patch, out SyncProblem? invalid))
        {
            return MutationOutcome.Fail(invalid);
        }

        var guard = new ReferenceGuard(scope);
        patch.VisitReferences(ref guard);
        if (guard.Problem is { } refused)
        {
            return MutationOutcome.Fail(refused);
        }

        T entity = JsonSerializer.Deserialize(row.Json, T.JsonTypeInfo)!;
        patch.ApplyTo(entity);

        // Before the version check: a conflict answers with the stored row, which a caller the policy refuses must not see.
        if (Policy is { } policy && !policy.CanWrite(request.Caller, new SyncRowWrite<T>(MutationKind.Update, row.Access?.Owner, JsonSerializer.Deserialize(row.Json, T.JsonTypeInfo), entity)))
        {
            return MutationOutcome.Fail(SyncProblem.WriteRefused(Name, key, request.Caller));
        }

        if (request.IfMatch is long expected && expected != row.Version)
        {
            return MutationOutcome.Fail(SyncProblem.VersionConflict(Name, key, expected, new StoredRowView(row.Json, row.Version)));
        }

        string? origin = Origins.VisibleTo(request.ClientId, row.ClientId, row.OriginOptimisticKey);
        byte[] json = Serialize(entity, key, row.Version);
        if (json.AsSpan().SequenceEqual(row.Json))
        {
            // A patch that changes nothing (empty, or the values the row has) makes no version and no change-log entry.
            return new MutationOutcome(200) { Key = key, OptimisticKey = origin, Version = row.Version, Body = row.Json };
        }

        long version = row.Version + 1;
        if (T.GetVersion(entity) is not null)
        {
            json = Serialize(entity, key, version); // the entity carries its version ([SyncVersion]): write the new one
        }

        if (json.Length > options.MaxRowBytes)
        {
            // Checked on the row as stored, not on the patch: patches of a few bytes each could otherwise grow a row past what any client reads.
            return MutationOutcome.Fail(SyncProblem.RowTooLarge(options.MaxRowBytes, json.Length));
        }

        session.UpdateRow(Name, key, json, version, row.OriginOptimisticKey, deleted: false, AccessAfter(row, entity));
        return new MutationOutcome(200) { Key = key, OptimisticKey = origin, Version = version, Body = json };
    }

    protected override async ValueTask<MutationOutcome> DeleteAsync(IWriteSession session, MutationRequest request, BatchScope? scope)
    {
        string key = ResolveTarget(request, scope);
        StoredRow? row = await session.GetRowAsync(Name, key).ConfigureAwait(false);
        string? origin = row is null ? null : Origins.VisibleTo(request.ClientId, row.ClientId, row.OriginOptimisticKey);
        if (row is null || row.Deleted)
        {
            // Deleting what is already gone succeeds: the client's intent holds.
            return new MutationOutcome(204) { Key = key, OptimisticKey = origin };
        }

        if (Policy is { } policy && !policy.CanWrite(request.Caller, new SyncRowWrite<T>(MutationKind.Delete, row.Access?.Owner, JsonSerializer.Deserialize(row.Json, T.JsonTypeInfo), null)))
        {
            return MutationOutcome.Fail(SyncProblem.WriteRefused(Name, key, request.Caller));
        }

        if (request.IfMatch is long expected && expected != row.Version)
        {
            return MutationOutcome.Fail(SyncProblem.VersionConflict(Name, key, expected, new StoredRowView(row.Json, row.Version)));
        }

        session.UpdateRow(Name, key, null, row.Version + 1, row.OriginOptimisticKey, deleted: true, Policy is null ? null : (row.Access ?? RowAccess.Created(null, [])).Then([]));
        return new MutationOutcome(204) { Key = key, OptimisticKey = origin };
    }

    /// <summary>The row's access once it holds <paramref name="entity"/>: the policy's keys for it, its owner kept.</summary>
    private RowAccess? AccessAfter(StoredRow row, T entity)
    {
        if (Policy is not { } policy)
        {
            return null;
        }

        RowAccess before = row.Access ?? RowAccess.Created(null, []);
        return before.Then(policy.GetRowKeys(entity, before.Owner));
    }

    /// <summary>Whether a deleted row is none of <paramref name="user"/>'s business: then it answers as if it never existed.</summary>
    private bool HiddenFrom(ClaimsPrincipal user, StoredRow row) =>
        Policy?.GetReadKeys(user) is { } keys && (row.Access is null || !row.Access.EverReadableBy(keys));

    /// <summary>
    /// An update or delete may target a row created earlier in the same batch by the key the client
    /// gave it: an optimistic key, or a proposed key the server replaced because it was taken.
    /// </summary>
    private string ResolveTarget(MutationRequest request, BatchScope? scope)
    {
        string key = request.Key ?? "";
        if (scope is not null && scope.TryResolve(Name, key, out string serverKey))
        {
            return serverKey;
        }

        return key;
    }

    private static bool TryReadPatch(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out ISyncPatch<T>? patch, [NotNullWhen(false)] out SyncProblem? problem)
    {
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            patch = T.ReadPatch(ref reader);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            patch = null;
            problem = SyncProblem.InvalidBody(e.Message);
            return false;
        }
    }

    private static byte[] Serialize(T entity, string key, long version)
    {
        T.SetKey(entity, key);
        T.SetVersion(entity, version.ToString(CultureInfo.InvariantCulture));
        return ServerJson.SerializeRow(entity, T.JsonTypeInfo);
    }
}
