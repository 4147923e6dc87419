using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Model;
using OfflineSync.Shared;

namespace OfflineSync.Generators;

/// <summary>Emits the sync members of every [Syncable] type and the typed sets of every [SyncClient].</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SyncGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 0. Roslyn runs every transform below again for each new compilation: after an edit that changes
        //    no declaration (a method body), they return the models already parsed instead of binding again.
        var parsed = new ParseCache();

        // 1. One model per [Syncable] type; invalid types (reported by the analyzers) yield none.
        IncrementalValuesProvider<EntityModel> entities = context.SyntaxProvider
            .ForAttributeWithMetadataName(SyncSymbols.SyncableAttributeName, Parser.IsCandidateType, parsed.Cached<EntityModel?>(Parser.ParseEntity))
            .WithTrackingName(TrackingNames.SyncableModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidSyncableModels);

        // 2. The JsonSerializerContexts of the compilation: an entity one of them lists takes its JSON
        //    metadata from it (no reflection: trimming and Native AOT work); the others use reflection.
        IncrementalValueProvider<EquatableArray<JsonContextModel>> jsonContexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(SyncSymbols.JsonSerializableAttributeName, Parser.IsCandidateType, parsed.Cached<JsonContextModel?>(Parser.ParseJsonContext))
            .WithTrackingName(TrackingNames.JsonContexts)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .Collect()
            .Select(Parser.SortJsonContexts)
            .WithTrackingName(TrackingNames.CollectedJsonContexts);

        IncrementalValuesProvider<EntityModel> entitiesWithJson = entities
            .Combine(jsonContexts)
            .Select(static (pair, _) => Parser.AttachJsonContext(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.EntitiesWithJsonContext);

        // 3. Each entity: ISyncEntity<T> members, JSON contract, visitor, patch, mutation records, and its
        //    assembly-level listing for the clients of other assemblies.
        context.RegisterSourceOutput(entitiesWithJson, Emitter.EmitEntity);

        // 4. The [SyncClient] needs every entity of the compilation and of the referenced assemblies,
        //    projected to what it uses. References are read from their assembly attributes into a value
        //    model, again only when the references or the declarations change: the whole Compilation
        //    never enters the pipeline past this Select.
        IncrementalValueProvider<ImmutableArray<ClientEntityModel>> clientEntities = entities
            .Select(static (model, _) => Parser.ToClientEntity(model))
            .WithTrackingName(TrackingNames.ClientEntities)
            .Collect()
            .WithTrackingName(TrackingNames.CollectedClientEntities);

        IncrementalValueProvider<EquatableArray<ClientEntityModel>> referencedEntities = context.CompilationProvider
            .Select(parsed.Cached<EquatableArray<ClientEntityModel>>(Parser.ParseReferencedEntities))
            .WithTrackingName(TrackingNames.ReferencedClientEntities);

        IncrementalValuesProvider<ClientWithEntitiesModel> clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(SyncSymbols.SyncClientAttributeName, Parser.IsCandidateType, parsed.Cached<ClientModel?>(Parser.ParseClient))
            .WithTrackingName(TrackingNames.SyncClientModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidSyncClientModels)
            .Combine(clientEntities)
            .Combine(referencedEntities)
            .Select(static (pair, _) => Parser.AttachEntities(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.SyncClientsWithEntities);

        // 5. Each client: constructor, model registration, typed sets.
        context.RegisterSourceOutput(clients, Emitter.EmitClient);
    }
}
