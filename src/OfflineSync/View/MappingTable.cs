namespace OfflineSync;

/// <summary>Confirmed ID mappings of every resource, as a view needs them to rewrite references (S3, S13).</summary>
/// <remarks>Not thread-safe: the owning view guards it with its lock.</remarks>
internal sealed class MappingTable
{
    private readonly Dictionary<(string Resource, string OptimisticKey), string> _map = new();

    public int Count => _map.Count;

    /// <summary>Adds a mapping; returns <see langword="false"/> when it was already known with the same server key.</summary>
    public bool Add(IdMapping mapping)
    {
        var slot = (mapping.Resource, mapping.OptimisticKey);
        if (_map.TryGetValue(slot, out string? known) && known == mapping.ServerKey)
        {
            return false;
        }

        _map[slot] = mapping.ServerKey;
        return true;
    }

    public bool TryMap(string resource, string key, out string serverKey) =>
        _map.TryGetValue((resource, key), out serverKey!);

    /// <summary>Makes a table holding only <paramref name="mapping"/>, for rewriting one mapping through every item.</summary>
    public static MappingTable Of(IdMapping mapping)
    {
        var table = new MappingTable();
        table.Add(mapping);
        return table;
    }
}
