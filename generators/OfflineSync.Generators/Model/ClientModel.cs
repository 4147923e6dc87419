using OfflineSync.Shared;

namespace OfflineSync.Generators.Model;

/// <summary>A <c>[SyncClient]</c> class.</summary>
internal sealed record ClientModel(TypeDeclarationModel Type);

/// <summary>What a <c>[SyncClient]</c> needs to know of one entity: a projection, so that edits inside an entity do not re-run the client.</summary>
/// <param name="FullyQualifiedName">The entity type.</param>
/// <param name="Name">The entity's simple name.</param>
/// <param name="PatchFullyQualifiedName">The generated patch type.</param>
/// <param name="KeyTypeName">The key type.</param>
/// <param name="KeyKind">The key kind.</param>
/// <param name="IsPublic">Whether the entity is visible outside its assembly (its typed set is then public too).</param>
internal sealed record ClientEntityModel(string FullyQualifiedName, string Name, string PatchFullyQualifiedName, string KeyTypeName, KeyKind KeyKind, bool IsPublic);

/// <summary>A <c>[SyncClient]</c> with the entities of its compilation and of the referenced assemblies, sorted by name.</summary>
internal sealed record ClientWithEntitiesModel(ClientModel Client, EquatableArray<ClientEntityModel> Entities);
