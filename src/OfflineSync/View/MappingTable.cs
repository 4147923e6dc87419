using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>
/// The confirmed ID mappings a view rewrites references with (S3, S13), by resource name and optimistic key. The
/// views of an engine read the engine's <see cref="IdMap"/>, which each mapping enters once; a view made on its own
/// keeps a <see cref="MappingTable"/>.
/// </summary>
/// <remarks>Read under a view's lock, from any thread, while the engine may add to it.</remarks>
internal interface IMappingLookup
{
    /// <summary>Gets the number of mappings; 0 lets a view skip the lookups.</summary>
    int Count { get; }

    bool TryMap(string resource, string key, [NotNullWhen(true)] out string? serverKey);
}

/// <summary>The mappings of a view made on its own (without an engine), which records them itself.</summary>
/// <remarks>Not thread-safe: the owning view guards it with its lock.</remarks>
internal sealed class MappingTable : IMappingLookup
{
    private readonly Dictionary<(string Resource, string OptimisticKey), string> _map = new();

    public int Count => _map.Count;

    /// <summary>Adds a mapping; the first server key of an optimistic key stays.</summary>
    public void Add(IdMapping mapping) => _map.TryAdd((mapping.Resource, mapping.OptimisticKey), mapping.ServerKey);

    public bool TryMap(string resource, string key, [NotNullWhen(true)] out string? serverKey) =>
        _map.TryGetValue((resource, key), out serverKey);
}
