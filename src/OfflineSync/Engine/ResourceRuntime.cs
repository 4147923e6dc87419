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

    /// <summary>Gets the payload to send, references remapped through the generated visitor (S12–S14).</summary>
    public abstract ReadOnlyMemory<byte> PayloadForSend(QueuedMutation mutation, IdMap map);

    /// <summary>Turns the app's <see cref="ConflictResolution.Replace{TEntity}(TEntity)"/> data into the mutation's new payload.</summary>
    public abstract void Replace(QueuedMutation mutation, object data, ReadOnlyMemory<byte> serverState);

    public abstract void Confirm(long sequence, string serverKey, string? version, ReadOnlyMemory<byte> state);

    public abstract void Discard(long sequence);

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
        LocalView = new LocalView<TEntity>(engine.ClientId, engine.Notifications);
        LocalView.MappingLearned += engine.OnMappingLearned;
        Follower = new FeedFollower<TEntity>(engine.Transport, LocalView, engine.Store, FeedSettings.From(engine.Options), engine.LoggerFactory.CreateLogger<FeedFollower<TEntity>>());
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
                if (restore.Changed)
                {
                    mutation.Payload = ResourceModel<TEntity>.SerializeEntity(entity);
                }

                View.AddCreate(mutation.Sequence, entity);
                break;
            case MutationKind.Update:
                ISyncPatch<TEntity> patch = ResourceModel<TEntity>.ReadPatch(mutation.Payload.Span);
                patch.VisitReferences(ref restore);
                if (restore.Changed)
                {
                    mutation.Payload = ResourceModel<TEntity>.SerializePatch(patch);
                }

                mutation.Patch = patch;
                View.AddUpdate(mutation.Sequence, mutation.CurrentKey(map), ResourceModel<TEntity>.ReadPatch(mutation.Payload.Span));
                break;
            default:
                View.AddDelete(mutation.Sequence, mutation.CurrentKey(map));
                break;
        }

        if (restore.Creates is { } creates)
        {
            foreach (QueuedMutation create in creates)
            {
                mutation.AddDependency(create);
            }
        }
    }

    public override ReadOnlyMemory<byte> PayloadForSend(QueuedMutation mutation, IdMap map)
    {
        if (!mutation.NeedsRemap)
        {
            return mutation.Payload;
        }

        // Keep the remapped payload: the mappings it used are permanent, and a retry need not remap again.
        mutation.Payload = ResourceModel<TEntity>.RemapPayload(mutation.Kind, mutation.Payload, map);
        if (mutation.Patch is not null)
        {
            mutation.Patch = ResourceModel<TEntity>.ReadPatch(mutation.Payload.Span);
        }

        mutation.NeedsRemap = false;
        return mutation.Payload;
    }

    public override void Replace(QueuedMutation mutation, object data, ReadOnlyMemory<byte> serverState)
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
                mutation.Payload = ResourceModel<TEntity>.SerializeEntity(entity);
                View.Discard(mutation.Sequence);
                View.AddCreate(mutation.Sequence, entity);
                break;
            case MutationKind.Update:
                // The replacement is the state the item should have: send what differs from the server's row.
                ISyncPatch<TEntity> patch = serverState.IsEmpty
                    ? ResourceModel<TEntity>.ReadPatch(ResourceModel<TEntity>.SerializeEntity(replacement))
                    : TEntity.Diff(ResourceModel<TEntity>.DeserializeEntity(serverState.Span), replacement);
                mutation.Patch = patch;
                mutation.Payload = ResourceModel<TEntity>.SerializePatch(patch);
                View.ReplaceUpdate(mutation.Sequence, patch);
                break;
        }
    }

    public override void Confirm(long sequence, string serverKey, string? version, ReadOnlyMemory<byte> state) =>
        View.Confirm(sequence, serverKey, version, state);

    public override void Discard(long sequence) => View.Discard(sequence);

    public override void SetServerRow(string key, string? version, ReadOnlyMemory<byte> state) => View.SetServerRow(key, version, state);

    public override void ApplyMapping(IdMapping mapping) => View.ApplyMapping(mapping);

    public override void StartFeed() => Follower.Start();

    public override Task StopFeedAsync() => Follower.StopAsync();
}
