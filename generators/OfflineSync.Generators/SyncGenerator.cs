using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Model;

namespace OfflineSync.Generators;

/// <summary>Emits the sync members of every [Syncable] type and the typed sets of every [SyncClient].</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SyncGenerator : IIncrementalGenerator
{
    internal const string SyncableAttributeName = "OfflineSync.SyncableAttribute";
    internal const string SyncClientAttributeName = "OfflineSync.SyncClientAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. One model per [Syncable] type; invalid types (reported by the analyzers) yield none.
        IncrementalValuesProvider<EntityModel> entities = context.SyntaxProvider
            .ForAttributeWithMetadataName(SyncableAttributeName, Parser.IsCandidateType, Parser.ParseEntity)
            .WithTrackingName(TrackingNames.SyncableModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidSyncableModels);

        // 2. Each entity: ISyncEntity<T> members, visitor, patch, mutation records.
        context.RegisterSourceOutput(entities, Emitter.EmitEntity);

        // 3. The [SyncClient] needs every entity of the compilation, projected to what it uses.
        IncrementalValueProvider<ImmutableArray<ClientEntityModel>> clientEntities = entities
            .Select(static (model, _) => Parser.ToClientEntity(model))
            .WithTrackingName(TrackingNames.ClientEntities)
            .Collect()
            .WithTrackingName(TrackingNames.CollectedClientEntities);

        IncrementalValuesProvider<ClientWithEntitiesModel> clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(SyncClientAttributeName, Parser.IsCandidateType, Parser.ParseClient)
            .WithTrackingName(TrackingNames.SyncClientModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidSyncClientModels)
            .Combine(clientEntities)
            .Select(static (pair, _) => Parser.AttachEntities(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.SyncClientsWithEntities);

        // 4. Each client: constructor, model registration, typed sets.
        context.RegisterSourceOutput(clients, Emitter.EmitClient);
    }
}
