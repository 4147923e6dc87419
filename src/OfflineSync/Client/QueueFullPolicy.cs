namespace OfflineSync;

/// <summary>What a full queue does with a new mutation (S7).</summary>
public enum QueueFullPolicy
{
    /// <summary>The call throws <see cref="SyncQueueFullException"/> and changes nothing (the default).</summary>
    Reject,

    /// <summary>The oldest mutation that is not in flight is dropped and <see cref="SyncClient.MutationDropped"/> fires.</summary>
    DropOldest,
}
