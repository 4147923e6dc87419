using OfflineSync;

namespace TodoApp.Model;

/// <summary>A label on todos.</summary>
[Syncable("tags")]
public partial class Tag
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}
