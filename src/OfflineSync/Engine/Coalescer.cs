namespace OfflineSync;

/// <summary>
/// S6, dependency-aware coalescing: an update merges into the object's last mutation, or folds into its create, only
/// while that mutation was never sent and is queued after everything the update references (so S5 still holds); a
/// delete cancels a never-sent create with everything of its object, and drops the object's updates that no push may
/// have carried. An update never folds into the create of an item it references itself.
/// </summary>
/// <remarks>Used under the engine's lock.</remarks>
internal sealed class Coalescer(IdMap map, MutationQueue queue, IMutationStore store, ClientSequence sequence)
{
    private readonly IdMap _map = map;
    private readonly MutationQueue _queue = queue;
    private readonly IMutationStore _store = store;
    private readonly ClientSequence _sequence = sequence;

    /// <summary>
    /// Gets the mutation an update of <paramref name="entry"/> referencing <paramref name="creates"/> merges into, or
    /// <see langword="null"/> when it must be queued on its own.
    /// </summary>
    public static QueuedMutation? MergeTarget(ObjectEntry? entry, QueuedMutation[]? creates)
    {
        if (entry?.Last is not { Untouched: true } last || last.Kind == MutationKind.Delete)
        {
            return null;
        }

        foreach (QueuedMutation create in creates ?? [])
        {
            // A create queued later would be sent after the merged mutation (S5); the object's own create cannot take
            // an update that references it: its key means nothing to the server before the create is applied.
            if (create.Sequence >= last.Sequence)
            {
                return null;
            }
        }

        return last;
    }

    /// <summary>Merges an update into <paramref name="target"/> (see <see cref="MergeTarget"/>); returns the item as now shown.</summary>
    public TEntity Merge<TEntity>(ResourceRuntime<TEntity> runtime, QueuedMutation target, string key, ISyncPatch<TEntity> patch, List<HeldKey>? heldByPatch, string? appKey)
        where TEntity : class, ISyncEntity<TEntity>
    {
        TEntity result;
        List<HeldKey>? held;
        if (target.Kind == MutationKind.Update)
        {
            // The queue keeps payloads only: the earlier patch is read back, which happens only for an object edited
            // again before it was sent.
            ISyncPatch<TEntity> merged = ResourceModel<TEntity>.ReadPatch(target.Payload.Span).Merge(patch);
            held = QueuedPayload<TEntity>.Set(target, merged, _map, _queue);
            _store.Update(target.ToStored());
            runtime.View.ReplaceUpdate(target.Sequence, target.Payload, HeldKeys.OpenReferences(held));
            result = runtime.View.TryGet(key, out TEntity? shown) ? shown : throw new KeyNotFoundException($"No {TEntity.ResourceName} item has the key '{key}'.");
        }
        else
        {
            // Folded into the create: one payload for the server, and the view keeps the update as its own
            // overlay entry, settled together with the create.
            TEntity entity = ResourceModel<TEntity>.DeserializeEntity(target.Payload.Span);
            patch.ApplyTo(entity);
            held = QueuedPayload<TEntity>.Set(target, entity, _map, _queue);
            _store.Update(target.ToStored());
            long overlaySequence = _sequence.Next();
            (target.Absorbed ??= new List<long>(1)).Add(overlaySequence);
            result = runtime.View.AddUpdate(overlaySequence, key, ResourceModel<TEntity>.SerializePatch(patch), HeldKeys.OpenReferences(heldByPatch), patch);
        }

        foreach (QueuedMutation create in HeldKeys.Creates(held) ?? [])
        {
            target.AddDependency(create);
        }

        if (appKey is not null)
        {
            (target.MergedAppKeys ??= new List<string>(1)).Add(appKey);
            _queue.IndexAppKey(appKey, target);
        }

        return result;
    }

    /// <summary>Whether a delete cancels the object's create: never sent, nothing else of it sent, nothing else references it.</summary>
    public static bool CancelsNeverSentCreate(ObjectEntry entry)
    {
        if (entry.Create is not { Untouched: true } create || !ReferenceEquals(entry.First, create))
        {
            return false;
        }

        foreach (QueuedMutation mutation in entry.Mutations)
        {
            if (!mutation.Untouched)
            {
                return false;
            }
        }

        if (create.Dependents is { } dependents)
        {
            foreach (QueuedMutation dependent in dependents)
            {
                if (!dependent.Removed && !ReferenceEquals(dependent.Object, entry))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The object's updates a delete drops: those no push carried, and those that will not be sent again (refused for
    /// good, or waiting for a conflict answer the server gave instead of applying them). <see langword="null"/> when
    /// there are none.
    /// </summary>
    /// <remarks>
    /// An update a push may have carried and that is still to be sent (in flight, failed transiently, restored after a
    /// restart) stays: the server may have applied it, and only its answer tells the version the delete is based on
    /// (S10). Dropped, the delete would go on the version before it, conflict with the client's own write, and under
    /// ServerWins be dropped, leaving the row live.
    /// </remarks>
    public static List<QueuedMutation>? UpdatesADeleteDrops(ObjectEntry entry)
    {
        List<QueuedMutation>? drop = null;
        foreach (QueuedMutation mutation in entry.Mutations)
        {
            if (mutation.Kind == MutationKind.Update
                && (mutation.Untouched || mutation.Status is MutationStatus.PermanentlyFailed or MutationStatus.Conflicted))
            {
                (drop ??= new List<QueuedMutation>()).Add(mutation);
            }
        }

        return drop;
    }
}
