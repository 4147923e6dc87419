using OfflineSync;

namespace TodoApp.Model;

/// <summary>A group of todos.</summary>
[Syncable("categories")]
public partial class Category
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The users (their ids, as the server names them) this category is shared with, besides its owner; they read it, the owner alone changes it.</summary>
    public List<string> SharedWith { get; set; } = new();
}
