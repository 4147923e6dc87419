namespace OfflineSync;

/// <summary>What a mutation store holds when it is opened.</summary>
/// <param name="ClientId">The client id, made on first open and kept for the life of the store.</param>
/// <param name="LastSequence">The highest client sequence ever appended (0 for a new store); sequences are never reused.</param>
/// <param name="Pending">The queued mutations in queue order.</param>
/// <param name="Mappings">Every confirmed ID mapping.</param>
public sealed record StoreState(
    string ClientId,
    long LastSequence,
    IReadOnlyList<StoredMutation> Pending,
    IReadOnlyList<IdMapping> Mappings);
