namespace OfflineSync.Generators;

/// <summary>Names of the pipeline steps, so tests can prove which steps an edit re-runs.</summary>
internal static class TrackingNames
{
    public const string SyncableModels = nameof(SyncableModels);
    public const string ValidSyncableModels = nameof(ValidSyncableModels);
    public const string JsonContexts = nameof(JsonContexts);
    public const string CollectedJsonContexts = nameof(CollectedJsonContexts);
    public const string EntitiesWithJsonContext = nameof(EntitiesWithJsonContext);
    public const string ClientEntities = nameof(ClientEntities);
    public const string CollectedClientEntities = nameof(CollectedClientEntities);
    public const string ReferencedClientEntities = nameof(ReferencedClientEntities);
    public const string SyncClientModels = nameof(SyncClientModels);
    public const string ValidSyncClientModels = nameof(ValidSyncClientModels);
    public const string SyncClientsWithEntities = nameof(SyncClientsWithEntities);

    /// <summary>Every step name, for tests that assert on all of them (their model declares a JsonSerializerContext, so every step runs).</summary>
    public static readonly string[] All =
    {
        SyncableModels, ValidSyncableModels, JsonContexts, CollectedJsonContexts, EntitiesWithJsonContext,
        ClientEntities, CollectedClientEntities, ReferencedClientEntities,
        SyncClientModels, ValidSyncClientModels, SyncClientsWithEntities,
    };
}
