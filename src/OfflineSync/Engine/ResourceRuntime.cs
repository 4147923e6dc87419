using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// The engine's state for one resource — its local view and feed follower — and the operations the
/// engine runs on queued mutations without knowing the entity type.
/// </summary>
internal abstract class ResourceRuntime
{
    protected ResourceRuntime(ResourceModel model)
    {
        Model = model;
        Name = model.Resource;
        TypeId = model.TypeId;
    }

    public ResourceModel Model { get; }

    public string Name { get; }

    public int TypeId { get; }

    /// <summary>Rebuilds a stored mutation after a restart: typed payload, dependencies, overlay in the view.</summary>
    public abstract void Restore(QueuedMutation mutation, IdMap map, MutationQueue queue);

    /// <summary>
    /// Remaps a payload through its typed form and the generated visitor (S12–S14), holding the keys of creates still
    /// queued: the path of a payload whose held keys could not be located (<see cref="QueuedMutation.RemapTyped"/>).
    /// </summary>
    public abstract ReadOnlyMemory<byte> RemapTyped(MutationKind kind, ReadOnlyMemory<byte> payload, IdMap map, MutationQueue queue);

    /// <summary>
    /// Gives a mutation a payload that holds the <paramref name="held"/> keys of queued creates, and records where
    /// (<see cref="PayloadSlots"/>); keys of creates gone from the queue (<see cref="HeldKey.Create"/> <see langword="null"/>)
    /// take their server keys now. Returns <see langword="false"/> when the keys could not be located and a key must be
    /// settled now: the caller then remaps the typed form.
    /// </summary>
    public static bool SetPayload(QueuedMutation mutation, ReadOnlyMemory<byte> payload, List<HeldKey>? held)
    {
        if (held is null)
        {
            mutation.SetPayload(payload, null, remapTyped: false);
            return true;
        }

        if (!PayloadSlots.Locate(payload.Span, held, out KeySlot[]? slots))
        {
            mutation.SetPayload(payload, null, remapTyped: true);
            return !held.Exists(static k => k.Create is null);
        }

        ReadOnlyMemory<byte> settled = PayloadSlots.Settle(payload, slots!, map: null, out KeySlot[]? remaining);
        mutation.SetPayload(settled, remaining, remapTyped: false);
        return true;
    }

    /// <summary>Turns the app's <see cref="ConflictResolution.Replace{TEntity}(TEntity)"/> data into the mutation's new payload.</summary>
    public abstract void Replace(QueuedMutation mutation, object data, ReadOnlyMemory<byte> serverState, IdMap map, MutationQueue queue);

    public abstract void Confirm(long sequence, string serverKey, string? version, ReadOnlyMemory<byte> state);

    public abstract void Discard(long sequence);

    /// <summary>The change to the kept rows a push answer's confirmed writes of this resource make (see <see cref="FeedFollower{TEntity}.KeepAnswered"/>).</summary>
    public abstract FeedCheckpointWrite? KeepAnswered(IReadOnlyList<ConfirmedWrite> writes);

    public abstract void SetServerRow(string key, string? version, ReadOnlyMemory<byte> state);

    public abstract void ApplyMapping(IdMapping mapping);

    public abstract void StartFeed();

    public abstract Task StopFeedAsync();
}

/// <summary>The engine's state and typed operations for <typeparamref name="TEntity"/>.</summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal sealed class ResourceRuntime<TEntity> : ResourceRuntime
    where TEntity : class, ISyncEntity<TEntity>
{
    public ResourceRuntime(SyncEngine engine, ResourceModel<TEntity> model)
        : base(model)
    {
        LocalView = new LocalView<TEntity>(engine.ClientId, engine.Notifications, engine.IdMap);
        LocalView.MappingLearned += engine.OnMappingLearned;
        Follower = new FeedFollower<TEntity>(engine.Transport, LocalView, engine.Store, FeedSettings.From(engine.Options) with { Credentials = engine.Credentials, Unauthorized = engine.ShowFeedUnauthorized, KeptRowsGate = engine.KeptRowsGate }, engine.LoggerFactory.CreateLogger<FeedFollower<TEntity>>());
    }

    public LocalView<TEntity> LocalView { get; }

    /// <summary>Gets the view through the contract the engine keeps to (S1, S3, S10).</summary>
    public ILocalView<TEntity> View => LocalView;

    public FeedFollower<TEntity> Follower { get; }

    public override void Restore(QueuedMutation mutation, IdMap map, MutationQueue queue)
    {
        var restore = new RestoringVisitor(map, queue);
        switch (mutation.Kind)
        {
            case MutationKind.Create:
                TEntity entity = ResourceModel<TEntity>.DeserializeEntity(mutation.Payload.Span);
                TEntity.VisitReferences(entity, ref restore);
                if (!SetPayload(mutation, mutation.Payload, restore.Held))
                {
                    mutation.SetPayload(ResourceModel<TEntity>.SerializeEntity(entity), null, remapTyped: restore.Creates is not null);
                }

                View.AddCreate(mutation.Sequence, mutation.Key, mutation.Payload, HeldKeys.OpenReferences(restore.Held));
                break;
            case MutationKind.Update:
                ISyncPatch<TEntity> patch = ResourceModel<TEntity>.ReadPatch(mutation.Payload.Span);
                patch.VisitReferences(ref restore);
                if (!SetPayload(mutation, mutation.Payload, restore.Held))
                {
                    mutation.SetPayload(ResourceModel<TEntity>.SerializePatch(patch), null, remapTyped: restore.Creates is not null);
                }

                // Restored mutations are never coalesced (they may have been sent), so the engine keeps no typed patch,
                // and the view reads the payload when it must show the item.
                View.AddUpdate(mutation.Sequence, mutation.CurrentKey(map), mutation.Payload, HeldKeys.OpenReferences(restore.Held));
                break;
            default:
                View.AddDelete(mutation.Sequence, mutation.CurrentKey(map));
                break;
        }

        AddDependencies(mutation, restore.Creates);
    }

    public override ReadOnlyMemory<byte> RemapTyped(MutationKind kind, ReadOnlyMemory<byte> payload, IdMap map, MutationQueue queue)
    {
        var visitor = new RestoringVisitor(map, queue);
        if (kind == MutationKind.Create)
        {
            TEntity entity = ResourceModel<TEntity>.DeserializeEntity(payload.Span);
            TEntity.VisitReferences(entity, ref visitor);
            return visitor.Changed ? ResourceModel<TEntity>.SerializeEntity(entity) : payload;
        }

        ISyncPatch<TEntity> patch = ResourceModel<TEntity>.ReadPatch(payload.Span);
        patch.VisitReferences(ref visitor);
        return visitor.Changed ? ResourceModel<TEntity>.SerializePatch(patch) : payload;
    }

    public override void Replace(QueuedMutation mutation, object data, ReadOnlyMemory<byte> serverState, IdMap map, MutationQueue queue)
    {
        if (data is not TEntity replacement)
        {
            throw new InvalidOperationException($"ConflictResolution.Replace was given a {data.GetType().Name} for a conflict on '{Name}', which holds {typeof(TEntity).Name} items.");
        }

        switch (mutation.Kind)
        {
            case MutationKind.Create:
                TEntity entity = EntityJson<TEntity>.Clone(replacement);
                TEntity.SetKey(entity, mutation.Key);
                List<HeldKey>? held = QueuedPayload<TEntity>.Set(mutation, entity, map, queue);
                AddDependencies(mutation, HeldKeys.Creates(held));
                View.Discard(mutation.Sequence);
                View.AddCreate(mutation.Sequence, mutation.Key, mutation.Payload, HeldKeys.OpenReferences(held));
                break;
            case MutationKind.Update:
                // The replacement is the state the item should have: send what differs from the server's row.
                ISyncPatch<TEntity> patch = serverState.IsEmpty
                    ? ResourceModel<TEntity>.ReadPatch(ResourceModel<TEntity>.SerializeEntity(replacement))
                    : TEntity.Diff(ResourceModel<TEntity>.DeserializeEntity(serverState.Span), replacement);
                List<HeldKey>? heldByPatch = QueuedPayload<TEntity>.Set(mutation, patch, map, queue);
                AddDependencies(mutation, HeldKeys.Creates(heldByPatch));
                View.ReplaceUpdate(mutation.Sequence, mutation.Payload, HeldKeys.OpenReferences(heldByPatch));
                break;
        }
    }

    private static void AddDependencies(QueuedMutation mutation, QueuedMutation[]? creates)
    {
        foreach (QueuedMutation create in creates ?? [])
        {
            mutation.AddDependency(create);
        }
    }

    public override void Confirm(long sequence, string serverKey, string? version, ReadOnlyMemory<byte> state) =>
        View.Confirm(sequence, serverKey, version, state);

    public override void Discard(long sequence) => View.Discard(sequence);

    public override FeedCheckpointWrite? KeepAnswered(IReadOnlyList<ConfirmedWrite> writes) => Follower.KeepAnswered(writes);

    public override void SetServerRow(string key, string? version, ReadOnlyMemory<byte> state) => View.SetServerRow(key, version, state);

    public override void ApplyMapping(IdMapping mapping) => View.ApplyMapping(mapping);

    public override void StartFeed() => Follower.Start();

    public override Task StopFeedAsync() => Follower.StopAsync();
}
