namespace OfflineSync.Generators;

/// <summary>Names of the pipeline steps, so tests can prove which steps an edit re-runs.</summary>
internal static class TrackingNames
{
    public const string SyncableModels = nameof(SyncableModels);
    public const string ValidSyncableModels = nameof(ValidSyncableModels);
    public const string ClientEntities = nameof(ClientEntities);
    public const string CollectedClientEntities = nameof(CollectedClientEntities);
    public const string SyncClientModels = nameof(SyncClientModels);
    public const string ValidSyncClientModels = nameof(ValidSyncClientModels);
    public const string SyncClientsWithEntities = nameof(SyncClientsWithEntities);

    /// <summary>Every step name, for tests that assert on all of them.</summary>
    public static readonly string[] All =
    {
        SyncableModels, ValidSyncableModels, ClientEntities, CollectedClientEntities,
        SyncClientModels, ValidSyncClientModels, SyncClientsWithEntities,
    };
}
