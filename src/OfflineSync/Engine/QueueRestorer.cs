using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>
/// Rebuilds the engine's state from what the store loaded, so that a restart resumes exactly (S3, S4, S9): the ID map
/// and the views' aliases first, then every pending mutation in queue order, with its attempts, status and failure,
/// its dependencies and its overlay entry. A reference to a create still queued keeps the key it was queued with
/// until that create leaves the queue, so a retry repeats its request byte for byte; other mapped references take
/// their server keys, written as the live path writes them (<see cref="PayloadSlots"/>).
/// </summary>
internal sealed class QueueRestorer(IdMap map, MutationQueue queue, ResourceRuntime?[] runtimes, ResourceRuntime[] resources, ClientSequence sequence, ILogger logger)
{
    private readonly IdMap _map = map;
    private readonly MutationQueue _queue = queue;
    private readonly ResourceRuntime?[] _runtimes = runtimes;
    private readonly ResourceRuntime[] _resources = resources;
    private readonly ClientSequence _sequence = sequence;
    private readonly ILogger _logger = logger;

    public void Restore(StoreState state)
    {
        _sequence.Used(state.LastSequence);
        foreach (IdMapping mapping in state.Mappings)
        {
            RestoreMapping(mapping);
        }

        foreach (StoredMutation stored in state.Pending)
        {
            RestoreMutation(stored);
        }
    }

    private void RestoreMapping(IdMapping mapping)
    {
        if (!_map.TryGetTypeId(mapping.Resource, out int typeId))
        {
            Log.UnknownResource(_logger, mapping.Resource);
            return;
        }

        if (!ProtocolChecks.IsValidKey(_runtimes[typeId]!.Model.KeyKind, mapping.ServerKey))
        {
            // Stored by a version that took any key the server sent: skipped, so the store still opens.
            Log.InvalidMapping(_logger, mapping.Resource, mapping.OptimisticKey, mapping.ServerKey);
            return;
        }

        _map.Add(typeId, mapping.OptimisticKey, mapping.ServerKey);
        foreach (ResourceRuntime resource in _resources)
        {
            resource.ApplyMapping(mapping);
        }
    }

    private void RestoreMutation(StoredMutation stored)
    {
        _sequence.Used(stored.Sequence);
        if (!_map.TryGetTypeId(stored.Resource, out int typeId) || _runtimes[typeId] is not { } runtime)
        {
            Log.UnknownResource(_logger, stored.Resource);
            return;
        }

        ObjectEntry entry = _queue.GetOrAddObject(runtime.TypeId, _map.Resolve(runtime.TypeId, stored.Key));
        var mutation = new QueuedMutation(stored.Sequence, runtime, stored.Kind, entry, stored.Key, stored.IdempotencyKey, stored.EnqueuedAt)
        {
            AppIdempotencyKey = stored.AppIdempotencyKey,
            BaseVersion = stored.BaseVersion,
            BaseFromPrevious = stored.BaseVersion is null && entry.Count > 0,

            // An answer lost with the process (in flight, or a conflict the app had not answered) is asked again.
            Status = stored.Status is MutationStatus.InFlight or MutationStatus.Conflicted ? MutationStatus.Pending : stored.Status,
            Attempts = stored.Attempts,
            LastError = stored.LastError,
            FailureReason = stored.FailureReason,
            Resends = stored.Resends,

            // The store does not record what was in flight when the process stopped (S6: never coalesced or cancelled).
            MaybeSent = true,
        };

        mutation.SetPayload(stored.Payload, null, remapTyped: false);
        runtime.Restore(mutation, _map, _queue);
        _queue.Append(mutation);
        if (mutation.Kind == MutationKind.Create)
        {
            _queue.SetPendingCreate(mutation);
        }
    }
}
