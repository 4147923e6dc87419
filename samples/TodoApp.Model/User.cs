using OfflineSync;

namespace TodoApp.Model;

/// <summary>Someone todos are assigned to.</summary>
[Syncable("users")]
public partial class User
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}
