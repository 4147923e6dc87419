namespace OfflineSync;

/// <summary>One row of a list page.</summary>
/// <param name="Key">The row's key.</param>
/// <param name="OriginOptimisticKey">
/// The optimistic key the row was created from. The server sends it only to the client that created the row, with
/// <see cref="OriginClientId"/>; a client takes it as the confirmation of its own create only when that id is its own (S3).
/// </param>
/// <param name="Version">The row's version.</param>
/// <param name="Data">The row as UTF-8 JSON.</param>
public sealed record ListItem(string Key, string? OriginOptimisticKey, string? Version, ReadOnlyMemory<byte> Data)
{
    /// <summary>Gets the id of the client that created the row, sent with <see cref="OriginOptimisticKey"/> to that client only (S3, S15).</summary>
    public string? OriginClientId { get; init; }
}

/// <summary>One page of a resource's rows.</summary>
/// <param name="Items">The rows, ordered by key.</param>
/// <param name="Sequence">The change-feed sequence the page is consistent with; follow the feed from it.</param>
/// <param name="HasMore">Whether more rows follow the last one of this page.</param>
public sealed record ListPage(IReadOnlyList<ListItem> Items, long Sequence, bool HasMore);
