namespace OfflineSync;

/// <summary>
/// The server rows of one resource as a store keeps them between runs, and the change-feed sequence they are
/// consistent with: a set that finds one when it starts shows the rows at once and resumes the feed after
/// <see cref="Sequence"/> instead of listing the resource again (S15).
/// </summary>
/// <param name="Sequence">The feed position the rows are consistent with: every event up to it is applied, none after it.</param>
/// <param name="Contract">
/// Identifies the entity's JSON contract the rows were written with; a set whose contract differs (the app was
/// updated) does not use them and lists again.
/// </param>
/// <param name="Rows">The rows, as the server sent them or as the set last held them; origin keys only for the client's own rows.</param>
public sealed record FeedCheckpoint(long Sequence, string Contract, IReadOnlyList<ListItem> Rows);

/// <summary>
/// One change to the rows a store keeps for a resource (<see cref="IMutationStore.WriteFeedCheckpoint"/>), applied
/// whole or not at all: first <see cref="Reset"/>, then <see cref="RemovedKeys"/>, then <see cref="Rows"/>, then the
/// position.
/// </summary>
/// <remarks>
/// A list too large for one write is written as a reset without a position, then further writes without one, and a
/// last write with the list's sequence; a store that stops midway holds no position for the resource, so the set
/// lists again rather than trust a partial copy.
/// </remarks>
public sealed record FeedCheckpointWrite
{
    /// <summary>Gets the resource name.</summary>
    public required string Resource { get; init; }

    /// <summary>Gets whether every row the store keeps for the resource is removed first (a new list).</summary>
    public bool Reset { get; init; }

    /// <summary>Gets the keys of rows to remove.</summary>
    public IReadOnlyList<string> RemovedKeys { get; init; } = [];

    /// <summary>Gets the rows to add or replace, by key.</summary>
    public IReadOnlyList<ListItem> Rows { get; init; } = [];

    /// <summary>
    /// Gets the feed position the resource's rows are consistent with after this write, or <see langword="null"/> when
    /// they are not consistent with any yet (a list written in parts): the store then keeps no position for it.
    /// </summary>
    public long? Sequence { get; init; }

    /// <summary>Gets what identifies the entity's JSON contract the rows are written with (<see cref="FeedCheckpoint.Contract"/>).</summary>
    public required string Contract { get; init; }
}
