namespace OfflineSync;

/// <summary>A full queue dropped its oldest mutation to make room (<see cref="QueueFullPolicy.DropOldest"/>, S7).</summary>
/// <param name="Mutation">The dropped mutation.</param>
public sealed record MutationDroppedEventArgs(PendingMutation Mutation);
