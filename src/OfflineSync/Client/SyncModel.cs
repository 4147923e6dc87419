using System.ComponentModel;

namespace OfflineSync;

/// <summary>
/// The entities a <see cref="SyncClient"/> syncs. The generated <c>[SyncClient]</c> class builds it
/// once from the <c>[Syncable]</c> types of the compilation, so the engine needs no reflection.
/// </summary>
public sealed class SyncModel
{
    internal SyncModel(IReadOnlyList<ResourceModel> resources) => Resources = resources;

    internal IReadOnlyList<ResourceModel> Resources { get; }

    /// <summary>Gets the resource names, in registration order.</summary>
    public IEnumerable<string> ResourceNames => Resources.Select(static r => r.Resource);
}

/// <summary>Builds a <see cref="SyncModel"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SyncModelBuilder
{
    private readonly List<ResourceModel> _resources = new();

    /// <summary>Adds an entity type.</summary>
    /// <exception cref="InvalidOperationException">Another entity already uses the same resource name.</exception>
    public SyncModelBuilder Add<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (_resources.Any(r => r.Resource == TEntity.ResourceName))
        {
            throw new InvalidOperationException($"Two entities use the resource name '{TEntity.ResourceName}'; give one of them another name in [Syncable(\"...\")].");
        }

        _resources.Add(new ResourceModel<TEntity>());
        return this;
    }

    /// <summary>Builds the model.</summary>
    public SyncModel Build() => new(_resources.ToArray());
}
