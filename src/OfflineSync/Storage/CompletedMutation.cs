namespace OfflineSync;

/// <summary>A mutation the server applied, as <see cref="IMutationStore.Complete(IReadOnlyList{CompletedMutation}, IReadOnlyList{StoredMutation}, IReadOnlyList{FeedCheckpointWrite})"/> records it.</summary>
/// <param name="Sequence">The confirmed mutation, removed from the queue.</param>
/// <param name="Mapping">The mapping its create produced, or <see langword="null"/> when there is none (the keys are equal, or it is not a create).</param>
public readonly record struct CompletedMutation(long Sequence, IdMapping? Mapping);
