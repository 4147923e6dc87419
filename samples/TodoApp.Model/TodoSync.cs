using OfflineSync;

namespace TodoApp.Model;

/// <summary>The app's typed client: one set per entity (Categories, Todos, Tags, Users).</summary>
[SyncClient]
public partial class TodoSync
{
}
