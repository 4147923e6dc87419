namespace OfflineSync.Benchmarks.Model;

/// <summary>The representative entity: three scalar references, a list of keys and a nested object holding more.</summary>
[Syncable("todos")]
public partial class Todo
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public bool Completed { get; set; }

    [References(typeof(Category))]
    public string? CategoryId { get; set; }

    [References(typeof(User))]
    public string? OwnerId { get; set; }

    [References(typeof(Project))]
    public string? ProjectId { get; set; }

    [References(typeof(Tag))]
    public List<string> TagIds { get; set; } = new();

    public Assignment? Assignee { get; set; }

    [SyncVersion]
    public string? Version { get; set; }
}
