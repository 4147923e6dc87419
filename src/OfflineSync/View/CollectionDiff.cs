using System.Collections.Specialized;

namespace OfflineSync;

/// <summary>
/// Describes the step from one snapshot to the next as a single collection change. Items are
/// compared by reference: the view hands out the same instance while an item is unchanged. One
/// added, removed or replaced item gives that precise action; anything larger is a
/// <see cref="NotifyCollectionChangedAction.Reset"/>, because WPF and others refuse range actions.
/// </summary>
internal static class CollectionDiff
{
    /// <summary>Returns the change, or <see langword="null"/> when the snapshots hold the same items.</summary>
    public static NotifyCollectionChangedEventArgs? Compute<T>(IReadOnlyList<T> before, IReadOnlyList<T> after)
        where T : class
    {
        int prefix = 0;
        int shorter = Math.Min(before.Count, after.Count);
        while (prefix < shorter && ReferenceEquals(before[prefix], after[prefix]))
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < shorter - prefix && ReferenceEquals(before[before.Count - 1 - suffix], after[after.Count - 1 - suffix]))
        {
            suffix++;
        }

        int removed = before.Count - prefix - suffix;
        int added = after.Count - prefix - suffix;
        return (removed, added) switch
        {
            (0, 0) => null,
            (0, 1) => new NotifyCollectionChangedEventArgs(NotifyCollectionChangedAction.Add, after[prefix], prefix),
            (1, 0) => new NotifyCollectionChangedEventArgs(NotifyCollectionChangedAction.Remove, before[prefix], prefix),
            (1, 1) => new NotifyCollectionChangedEventArgs(NotifyCollectionChangedAction.Replace, after[prefix], before[prefix], prefix),
            _ => new NotifyCollectionChangedEventArgs(NotifyCollectionChangedAction.Reset),
        };
    }
}
