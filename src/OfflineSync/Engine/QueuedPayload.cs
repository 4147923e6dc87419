namespace OfflineSync;

/// <summary>
/// Writes the payload of a queued mutation from its typed form: references to confirmed creates take their server
/// keys (S3), and where the payload holds keys of creates still queued is recorded, so that confirming one of them
/// costs nothing here (<see cref="PayloadSlots"/>).
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal static class QueuedPayload<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    /// <summary>Sets the payload of a create (or an update folded into it); returns the keys of queued creates it holds.</summary>
    /// <remarks>Rewrites the references of <paramref name="entity"/> that have a confirmed mapping.</remarks>
    public static List<HeldKey>? Set(QueuedMutation mutation, TEntity entity, IdMap map, MutationQueue queue)
    {
        var remap = new RemappingVisitor(map);
        TEntity.VisitReferences(entity, ref remap);
        var dependencies = new DependencyVisitor(queue);
        TEntity.VisitReferences(entity, ref dependencies);
        ResourceRuntime.SetPayload(mutation, ResourceModel<TEntity>.SerializeEntity(entity), dependencies.Held);
        return dependencies.Held;
    }

    /// <summary>Sets the payload of an update; returns the keys of queued creates it holds.</summary>
    /// <remarks>Rewrites the references of <paramref name="patch"/> that have a confirmed mapping.</remarks>
    public static List<HeldKey>? Set(QueuedMutation mutation, ISyncPatch<TEntity> patch, IdMap map, MutationQueue queue)
    {
        var remap = new RemappingVisitor(map);
        patch.VisitReferences(ref remap);
        var dependencies = new DependencyVisitor(queue);
        patch.VisitReferences(ref dependencies);
        ResourceRuntime.SetPayload(mutation, ResourceModel<TEntity>.SerializePatch(patch), dependencies.Held);
        return dependencies.Held;
    }
}
