namespace OfflineSync;

/// <summary>
/// Marks a <see langword="partial"/> class or record as an entity that is synced with the server
/// as one resource. The source generator implements <see cref="ISyncEntity{TSelf}"/> for it and
/// emits its patch type, mutation records and reference visitor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SyncableAttribute : Attribute
{
    /// <summary>Creates the attribute with the resource name derived from the type name.</summary>
    public SyncableAttribute()
    {
    }

    /// <summary>Creates the attribute with an explicit resource name.</summary>
    /// <param name="resource">The resource name used on the wire, for example <c>"todos"</c>.</param>
    public SyncableAttribute(string resource) => Resource = resource;

    /// <summary>
    /// Gets the resource name used on the wire.
    /// </summary>
    /// <value>The default is the camelCase plural of the type name (<c>TodoItem</c> → <c>todoItems</c>).</value>
    public string? Resource { get; }
}
