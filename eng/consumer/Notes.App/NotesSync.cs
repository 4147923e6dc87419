using OfflineSync;

namespace Notes.App;

/// <summary>The app's typed client: one set per [Syncable] type of Notes.Model, the referenced model project.</summary>
[SyncClient]
public partial class NotesSync
{
}
