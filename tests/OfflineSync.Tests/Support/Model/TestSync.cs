namespace OfflineSync.Tests.Model;

/// <summary>The typed client of the test model.</summary>
[SyncClient]
public partial class TestSync
{
}
