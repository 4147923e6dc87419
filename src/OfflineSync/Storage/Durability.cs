namespace OfflineSync;

/// <summary>When a durable mutation store commits a write to disk (S4).</summary>
/// <remarks>
/// Used by <c>SqliteMutationStoreOptions.Durability</c>. <see cref="InMemoryMutationStore"/> has no
/// durability at all: it loses everything when the process exits.
/// </remarks>
public enum Durability
{
    /// <summary>
    /// Every write (append, update, remove, complete, counter) is committed and synced to disk
    /// before the call returns: a killed process or a power failure loses nothing that returned.
    /// This is the default.
    /// </summary>
    Full,

    /// <summary>
    /// Writes are group-committed: they join one open transaction that is committed and synced
    /// when the store's batch window (10 ms by default) has passed since the first write of the
    /// batch, or when the store is flushed or disposed. A killed process or a power failure loses the writes
    /// of the open batch, never more, and never part of a batch: the store reopens in the state of
    /// its last commit. The store's documentation says exactly what can be lost.
    /// </summary>
    Batched,
}
