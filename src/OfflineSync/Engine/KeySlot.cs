namespace OfflineSync;

/// <summary>
/// Where a queued payload holds the key of a create that was queued when the payload was written: the byte range
/// of one JSON value (quotes included for a string). Found once, when the mutation is queued or restored.
/// </summary>
/// <param name="Start">The offset of the value's first byte.</param>
/// <param name="Length">The length of the value in bytes.</param>
/// <param name="Quoted">Whether the value is a JSON string (otherwise a number).</param>
/// <param name="Create">The create whose key the value holds; once it leaves the queue, its server key is written here.</param>
/// <param name="Server">
/// For a key whose create left the queue before a restart (<paramref name="Create"/> is <see langword="null"/>), the
/// server key to write at once.
/// </param>
internal readonly record struct KeySlot(int Start, int Length, bool Quoted, QueuedMutation? Create, string? Server = null)
{
    /// <summary>Gets whether the value takes its final key now: its create left the queue.</summary>
    public bool Settled => Create is null || Create.Removed;
}
