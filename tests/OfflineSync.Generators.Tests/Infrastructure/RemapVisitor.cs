namespace OfflineSync.Generators.Tests.Infrastructure;

/// <summary>
/// A visitor that rewrites keys found in a per-resource map, the way the engine remaps optimistic
/// keys (S12–S14), and records every slot it saw.
/// </summary>
internal struct RemapVisitor : IReferenceVisitor
{
    private readonly Dictionary<(string Resource, string Key), string> _map;

    public RemapVisitor(Dictionary<(string Resource, string Key), string> map)
    {
        _map = map;
        Seen = new List<(string Resource, string Key)>();
    }

    public List<(string Resource, string Key)> Seen { get; }

    public int Changed { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        string formatted = SyncKeys.Format(key);
        Seen.Add((TTarget.ResourceName, formatted));
        if (_map.TryGetValue((TTarget.ResourceName, formatted), out string? serverKey))
        {
            key = SyncKeys.Parse<TKey>(serverKey);
            Changed++;
        }
    }
}

/// <summary>
/// An allocation-free visitor over string keys: looks each key up in the map of its target resource,
/// as an engine's hot path would.
/// </summary>
internal struct StringMapVisitor : IReferenceVisitor
{
    private readonly Dictionary<string, Dictionary<string, string>> _maps;

    public StringMapVisitor(Dictionary<string, Dictionary<string, string>> maps) => _maps = maps;

    public int Visited { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        Visited++;
        if (typeof(TKey) == typeof(string)
            && _maps.TryGetValue(TTarget.ResourceName, out Dictionary<string, string>? map)
            && map.TryGetValue(System.Runtime.CompilerServices.Unsafe.As<TKey, string>(ref key), out string? serverKey))
        {
            System.Runtime.CompilerServices.Unsafe.As<TKey, string>(ref key) = serverKey;
        }
    }
}
