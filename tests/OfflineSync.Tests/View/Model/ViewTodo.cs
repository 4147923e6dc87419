using OfflineSync.Tests.Model;

namespace OfflineSync.Tests.View.Model;

/// <summary>
/// The entity of the view tests, built by the generator like every test entity: references to a
/// category and to tags of the test model, the loaded navigation value of the category reference
/// (<see cref="Category"/>: the view drops it when the reference changes without it) and a version.
/// </summary>
[Syncable("view-todos")]
public partial class ViewTodo
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public bool Completed { get; set; }

    [References(typeof(Category))]
    public string? CategoryId { get; set; }

    [References(typeof(Tag))]
    public List<string> TagIds { get; set; } = new();

    /// <summary>The navigation value of <see cref="CategoryId"/>, when the server sends it.</summary>
    public Category? Category { get; set; }

    [SyncVersion]
    public string? Version { get; set; }
}
