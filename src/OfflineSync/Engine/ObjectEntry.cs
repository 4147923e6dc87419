namespace OfflineSync;

/// <summary>The queued mutations of one object (resource, key), in queue order, and its queued create.</summary>
internal sealed class ObjectEntry(string key)
{
    /// <summary>Gets or sets the key the queue indexes the object by: optimistic until its create is confirmed, then the server key.</summary>
    public string Key { get; set; } = key;

    /// <summary>Gets the object's queued mutations, oldest first (usually one or two).</summary>
    public List<QueuedMutation> Mutations { get; } = new(2);

    /// <summary>Gets or sets the object's queued create, while it is unconfirmed; references to the object depend on it (S5).</summary>
    public QueuedMutation? Create { get; set; }

    public QueuedMutation? Last => Mutations.Count == 0 ? null : Mutations[^1];
}
