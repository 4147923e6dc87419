namespace OfflineSync.TestModel;

/// <summary>The typed client of the test model: Boards, Cards, Sheets and Stickers.</summary>
[SyncClient]
public partial class WorkspaceSync
{
}
