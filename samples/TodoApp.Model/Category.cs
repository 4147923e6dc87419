using OfflineSync;

namespace TodoApp.Model;

/// <summary>A group of todos.</summary>
[Syncable("categories")]
public partial class Category
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}
