namespace OfflineSync.Server.Storage;

/// <summary>The names of the rows of the <c>meta</c> table, the same in every store.</summary>
internal static class MetaNames
{
    /// <summary>The highest change sequence retention removed, of any resource (each resource's own is in <c>prune_points</c>).</summary>
    public const string PrunedThrough = "pruned_through";

    /// <summary>The number of change-log entries, kept for retention by count.</summary>
    public const string RetainedChanges = "retained_changes";

    /// <summary>The sum of the change-log entries' <c>bytes</c>, kept for retention by size.</summary>
    public const string RetainedBytes = "retained_bytes";
}
