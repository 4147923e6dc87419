using OfflineSync;

namespace Notes.Model;

/// <summary>The app's typed client: one set per [Syncable] type of this project.</summary>
/// <remarks>
/// It belongs in Notes.App, the way apps lay it out; it sits here until [SyncClient] also sees the
/// [Syncable] types of referenced assemblies (issue 15). The namespace is the model's, so moving the
/// file to Notes.App is all that change needs.
/// </remarks>
[SyncClient]
public partial class NotesSync
{
}
