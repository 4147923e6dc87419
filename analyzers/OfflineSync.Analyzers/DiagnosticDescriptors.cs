using Microsoft.CodeAnalysis;

namespace OfflineSync.Analyzers;

/// <summary>Every diagnostic OfflineSync reports. IDs and severities are part of the contract (DESIGN §4).</summary>
internal static class DiagnosticDescriptors
{
    private const string ReferencesCategory = "OfflineSync.References";
    private const string EntitiesCategory = "OfflineSync.Entities";
    private const string ClientCategory = "OfflineSync.Client";
    private const string HelpBase = "https://github.com/offlinesync/offlinesync/blob/main/docs/diagnostics.md#";

    /// <summary>OSYNC001: <c>[References(typeof(X))]</c> where X is not <c>[Syncable]</c>.</summary>
    public static readonly DiagnosticDescriptor ReferenceTargetNotSyncable = Create(
        "OSYNC001",
        ReferencesCategory,
        DiagnosticSeverity.Error,
        "Referenced type is not [Syncable]",
        "{0}.{1} references {2}, which is not [Syncable]; mark {2} [Syncable] or reference the entity whose keys the slot holds",
        "A reference slot holds keys of a [Syncable] entity: only those keys have optimistic values that the engine remaps.");

    /// <summary>OSYNC002: the slot type cannot hold the referenced key type.</summary>
    public static readonly DiagnosticDescriptor SlotTypeMismatch = Create(
        "OSYNC002",
        ReferencesCategory,
        DiagnosticSeverity.Error,
        "Reference slot type does not match the referenced key type",
        "{0}.{1} is {2} but {3}'s key is {4}; a reference slot must have the referenced key type (or its nullable or a list of it)",
        "A reference slot holds the referenced entity's key: the key type, its nullable form, or a List<K>, K[], IList<K>, HashSet<K>, IReadOnlyList<K>, IReadOnlyCollection<K> or ImmutableArray<K> of it.");

    /// <summary>OSYNC003: the slot cannot be written back.</summary>
    public static readonly DiagnosticDescriptor SlotNotWritable = Create(
        "OSYNC003",
        ReferencesCategory,
        DiagnosticSeverity.Error,
        "Reference slot cannot be written back",
        "{0}.{1} {2}, so a remapped key cannot be written back; {3}",
        "When the server confirms a create, the engine writes the server key into every slot that held the optimistic key; the slot (or the struct that holds it) must be writable by the generated code.");

    /// <summary>OSYNC004: references inside a container the visitor cannot walk.</summary>
    public static readonly DiagnosticDescriptor UnwalkableContainer = Create(
        "OSYNC004",
        ReferencesCategory,
        DiagnosticSeverity.Error,
        "References inside a container the visitor cannot walk",
        "{0}.{1} holds references inside {2}, which the generated visitor cannot walk; {3}",
        "The generated visitor walks keys, nullable keys, lists, arrays, sets and nested non-entity types; keys inside object, dynamic, interfaces, dictionaries or other enumerables would never be remapped.");

    /// <summary>OSYNC005: a [Syncable] type (or a type containing it) is not partial.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        "OSYNC005",
        EntitiesCategory,
        DiagnosticSeverity.Error,
        "[Syncable] type must be partial",
        "[Syncable] type {0} {1}; declare {2} 'partial' so the generator can add the sync members",
        "The generator implements ISyncEntity<T> inside the entity type, which needs the type and every type containing it to be partial.");

    /// <summary>OSYNC006: no usable key.</summary>
    public static readonly DiagnosticDescriptor MissingKey = Create(
        "OSYNC006",
        EntitiesCategory,
        DiagnosticSeverity.Error,
        "[Syncable] type has no usable key",
        "[Syncable] type {0} {1}; {2}",
        "Every entity has one key: a property named Id or marked [SyncKey], of type string, Guid, long or int, that the engine can set when the server assigns the key.");

    /// <summary>OSYNC007: a property that looks like a forgotten foreign key.</summary>
    public static readonly DiagnosticDescriptor LikelyMissingReferences = Create(
        "OSYNC007",
        ReferencesCategory,
        DiagnosticSeverity.Warning,
        "Property looks like a foreign key without [References]",
        "{0}.{1} looks like a key of [Syncable] {2} but has no [References]; add [References(typeof({2}))] so optimistic keys in it are remapped",
        "Only declared reference slots are remapped: an optimistic key left in an undeclared slot reaches the server unresolved.");

    /// <summary>OSYNC008: recursive nested types holding references.</summary>
    public static readonly DiagnosticDescriptor RecursiveNestedType = Create(
        "OSYNC008",
        ReferencesCategory,
        DiagnosticSeverity.Warning,
        "Nested type holding references is recursive",
        "{0}.{1} makes {2} recursive; trees are visited with a depth limit, and a cyclic object graph throws SyncModelException at run time",
        "Recursive nested types (a tree of replies, say) are supported for trees; make sure the objects never form a cycle.");

    /// <summary>OSYNC009: resource name or generated type name collision.</summary>
    public static readonly DiagnosticDescriptor NameCollision = Create(
        "OSYNC009",
        EntitiesCategory,
        DiagnosticSeverity.Error,
        "Resource name or generated name collides",
        "{0}; {1}",
        "Each [Syncable] type needs its own resource name, and the types the generator emits (TPatch, CreateT, UpdateT, DeleteT) must not clash with other types.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>OSYNC010: an entity without source-generated JSON metadata, in a project analyzed for trimming or Native AOT.</summary>
    public static readonly DiagnosticDescriptor MissingJsonMetadata = Create(
        "OSYNC010",
        EntitiesCategory,
        DiagnosticSeverity.Warning,
        "[Syncable] type has no source-generated JSON metadata",
        "[Syncable] type {0} is not listed in a JsonSerializerContext of its project, so its JSON needs reflection, which trimming and Native AOT do not allow; {1}",
        "The generated JSON contract of an entity takes its metadata from a JsonSerializerContext of the entity's project that lists it; without one it falls back to reflection, which fails at run time in a trimmed or Native AOT app. Reported when the project enables trim or AOT analysis.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>OSYNC011: a [SyncClient] that gets no typed set.</summary>
    public static readonly DiagnosticDescriptor ClientWithoutEntities = Create(
        "OSYNC011",
        ClientCategory,
        DiagnosticSeverity.Warning,
        "[SyncClient] has no entities",
        "[SyncClient] {0} has no entities: there is no [Syncable] type in this project or in an assembly it references; declare an entity, or reference the project that declares them",
        "A [SyncClient] gets one typed set per [Syncable] type of its compilation and of the assemblies it references; without any it cannot sync anything.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>OSYNC012: a [SyncClient] class the generator cannot extend.</summary>
    public static readonly DiagnosticDescriptor ClientNotGenerated = Create(
        "OSYNC012",
        ClientCategory,
        DiagnosticSeverity.Error,
        "[SyncClient] type cannot be generated",
        "[SyncClient] type {0} {1}; {2}",
        "The generator makes a [SyncClient] derive from SyncClient and adds a constructor and the typed sets, which needs a partial, non-generic class (and partial containing types) with no other base class.");

    /// <summary>OSYNC013: a generic [Syncable] type.</summary>
    public static readonly DiagnosticDescriptor GenericEntity = Create(
        "OSYNC013",
        EntitiesCategory,
        DiagnosticSeverity.Error,
        "[Syncable] type is generic",
        "[Syncable] type {0} {1}, so the generator cannot implement ISyncEntity<T> for it; {2}",
        "An entity is one resource with static members (resource name, key, JSON contract): an open generic type has none of those until it is closed.");

    /// <summary>OSYNC014: a [SyncVersion] property that cannot carry the version.</summary>
    public static readonly DiagnosticDescriptor UnusableVersion = Create(
        "OSYNC014",
        EntitiesCategory,
        DiagnosticSeverity.Error,
        "[SyncVersion] property cannot carry the version",
        "[SyncVersion] {0}.{1} {2}; {3}",
        "The server's version (ETag) is written into the [SyncVersion] property: one per entity, a string, long or int (nullable or not), that the generated code can read and set.");

    private static DiagnosticDescriptor Create(
        string id,
        string category,
        DiagnosticSeverity severity,
        string title,
        string message,
        string description,
        params string[] tags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpBase + id.ToLowerInvariant(), tags);
}
