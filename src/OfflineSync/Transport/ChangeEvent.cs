namespace OfflineSync;

/// <summary>The kind of a change-feed event.</summary>
public enum ChangeKind
{
    /// <summary>A row that existed when the feed started from the beginning (snapshot).</summary>
    Existing,

    /// <summary>A row was created.</summary>
    Added,

    /// <summary>A row was changed; the event carries the changed row.</summary>
    Changed,

    /// <summary>A row was deleted.</summary>
    Removed,

    /// <summary>The client's position is past the server's retention: refetch the list, then follow from the event's sequence.</summary>
    Invalidate,
}

/// <summary>One event of a resource's change feed.</summary>
/// <param name="Resource">The resource name.</param>
/// <param name="Kind">The kind of event.</param>
/// <param name="Sequence">The event's sequence number; the feed resumes after it.</param>
/// <param name="Key">The row's key; <see langword="null"/> for <see cref="ChangeKind.Invalidate"/>.</param>
/// <param name="OriginOptimisticKey">
/// The optimistic key the row was created from. The server sends it only to the client that created the row, with
/// <see cref="OriginClientId"/>; a client takes it as the confirmation of its own create only when that id is its own (S3).
/// </param>
/// <param name="Version">The row's version after the change.</param>
/// <param name="Data">The row as UTF-8 JSON; empty for <see cref="ChangeKind.Removed"/> and <see cref="ChangeKind.Invalidate"/>.</param>
public sealed record ChangeEvent(
    string Resource,
    ChangeKind Kind,
    long Sequence,
    string? Key,
    string? OriginOptimisticKey,
    string? Version,
    ReadOnlyMemory<byte> Data)
{
    /// <summary>Gets the id of the client that created the row, sent with <see cref="OriginOptimisticKey"/> to that client only (S3, S15).</summary>
    public string? OriginClientId { get; init; }
}
