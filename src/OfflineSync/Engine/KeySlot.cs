namespace OfflineSync;

/// <summary>
/// Where a queued payload holds the key of a create that was queued when the payload was written: the byte range
/// of one JSON value (quotes included for a string). Found once, when the mutation is queued or restored.
/// </summary>
/// <param name="Start">The offset of the value's first byte.</param>
/// <param name="Length">The length of the value in bytes.</param>
/// <param name="Quoted">Whether the value is a JSON string (otherwise a number).</param>
/// <param name="Target">
/// The create whose key the value holds (a <see cref="QueuedMutation"/>): once it leaves the queue, its server key is
/// written here. Or, for a key whose create left the queue before a restart, that server key (a string), written at once.
/// One field for both keeps the slot at 24 bytes.
/// </param>
internal readonly record struct KeySlot(int Start, int Length, bool Quoted, object Target)
{
    /// <summary>Gets the create whose key the value holds, while it may still be queued.</summary>
    public QueuedMutation? Create => Target as QueuedMutation;

    /// <summary>Gets the server key to write at once, for a key whose create was gone at the restart.</summary>
    public string? Server => Target as string;

    /// <summary>Gets whether the value takes its final key now: its create left the queue.</summary>
    public bool Settled => Target is not QueuedMutation create || create.Removed;
}
