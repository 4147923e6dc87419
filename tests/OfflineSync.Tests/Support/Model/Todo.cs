namespace OfflineSync.Tests.Model;

[Syncable("todos")]
public partial class Todo
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public bool Completed { get; set; }

    [References(typeof(Category))]
    public string? CategoryId { get; set; }

    [References(typeof(Tag))]
    public List<string> TagIds { get; set; } = new();

    public Assignment? Assignee { get; set; }

    /// <summary>Free text: may hold a string that looks like a key and must never be remapped (S14).</summary>
    public string? Notes { get; set; }

    [SyncVersion]
    public string? Version { get; set; }
}
