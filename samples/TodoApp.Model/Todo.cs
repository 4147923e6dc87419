using OfflineSync;

namespace TodoApp.Model;

/// <summary>A todo: references a category, tags and, through its assignment, users.</summary>
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

    /// <summary>Who does it; nested, not an entity, walked because it holds references.</summary>
    public Assignment? Assignee { get; set; }
}

/// <summary>The people on a todo.</summary>
public class Assignment
{
    [References(typeof(User))]
    public string? UserId { get; set; }

    [References(typeof(User))]
    public List<string> Collaborators { get; set; } = new();
}
