namespace OfflineSync;

/// <summary>One row of a list page.</summary>
/// <param name="Key">The row's key.</param>
/// <param name="OriginOptimisticKey">The optimistic key the row was created from, if any.</param>
/// <param name="Version">The row's version.</param>
/// <param name="Data">The row as UTF-8 JSON.</param>
public sealed record ListItem(string Key, string? OriginOptimisticKey, string? Version, ReadOnlyMemory<byte> Data);

/// <summary>One page of a resource's rows.</summary>
/// <param name="Items">The rows, ordered by key.</param>
/// <param name="Sequence">The change-feed sequence the page is consistent with; follow the feed from it.</param>
/// <param name="HasMore">Whether more rows follow the last one of this page.</param>
public sealed record ListPage(IReadOnlyList<ListItem> Items, long Sequence, bool HasMore);
