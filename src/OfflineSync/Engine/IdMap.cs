using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OfflineSync;

/// <summary>
/// The confirmed mappings optimistic (or proposed) key → server key, one table per resource (S3, S13).
/// Tables are found by the entity type's index, and each table also keeps its mappings typed by the
/// resource's key type, so the remapping visitor neither hashes resource names nor formats keys.
/// </summary>
/// <remarks>
/// The engine writes it under its lock and reads it there. The views read mappings by resource name
/// (<see cref="IMappingLookup"/>) under their own locks, from any thread, so that each mapping is held once: those
/// reads go to the concurrent string tables only.
/// </remarks>
internal sealed class IdMap : IMappingLookup
{
    private readonly Table?[] _tables;

    // Four 64-bit words per entity type summarizing its mapped string keys (length, first and last
    // character). Most slots hold server keys, which look nothing like the optimistic keys in the map: the
    // summary turns them away before the key is hashed, from one array without touching the tables, which
    // keeps a visit that changes nothing within a few nanoseconds per slot. Mappings are never removed, so
    // the summary only gains bits.
    private readonly ulong[] _summaries;
    private readonly Dictionary<string, int> _typeIdByResource = new(StringComparer.Ordinal);
    private int _count;

    public IdMap(IReadOnlyList<ResourceModel> resources)
    {
        int size = 0;
        foreach (ResourceModel resource in resources)
        {
            size = Math.Max(size, resource.TypeId + 1);
        }

        _tables = new Table?[size];
        _summaries = new ulong[size * 4];
        foreach (ResourceModel resource in resources)
        {
            _tables[resource.TypeId] = new Table(resource.KeyKind);
            _typeIdByResource[resource.Resource] = resource.TypeId;
        }
    }

    /// <summary>Gets the number of mappings of every resource.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGetTypeId(string resource, out int typeId) => _typeIdByResource.TryGetValue(resource, out typeId);

    /// <summary>Adds a mapping; returns <see langword="false"/> when it was known already (the push answer and the feed both confirm it).</summary>
    public bool Add(int typeId, string optimisticKey, string serverKey)
    {
        Table table = _tables[typeId] ?? throw new InvalidOperationException($"Entity type {typeId} is not registered.");
        if (!table.Add(optimisticKey, serverKey))
        {
            return false;
        }

        int bit = SummaryBit(optimisticKey);
        _summaries[(typeId * 4) + (bit >> 6)] |= 1UL << bit;
        Interlocked.Increment(ref _count);
        return true;
    }

    /// <inheritdoc/>
    public bool TryMap(string resource, string key, [NotNullWhen(true)] out string? serverKey)
    {
        // The resource table is never written after construction, and the string tables are concurrent.
        if (_typeIdByResource.TryGetValue(resource, out int typeId) && _tables[typeId] is { } table)
        {
            return table.ByString.TryGetValue(key, out serverKey);
        }

        serverKey = null;
        return false;
    }

    // Inlined into the remapping visitor: a slot whose key the summary turns away costs no call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryResolve(int typeId, string key, [NotNullWhen(true)] out string? serverKey)
    {
        if (_count != 0 && key is not null)
        {
            int bit = SummaryBit(key);
            uint word = (uint)((typeId * 4) + (bit >> 6));
            if (word < (uint)_summaries.Length && (_summaries[word] & (1UL << bit)) != 0 && _tables[typeId] is { } table)
            {
                return table.ByString.TryGetValue(key, out serverKey);
            }
        }

        serverKey = null;
        return false;
    }

    /// <summary>Resolves <paramref name="key"/> when it is mapped; otherwise returns it unchanged.</summary>
    public string Resolve(int typeId, string key) => TryResolve(typeId, key, out string? server) ? server : key;

    /// <summary>Resolves a key slot of any key type (<see cref="RemappingVisitor"/> takes the string overload for string slots).</summary>
    public bool TryResolve<TKey>(int typeId, TKey key, [NotNullWhen(true)] out TKey? serverKey)
        where TKey : notnull
    {
        if (_count != 0 && (uint)typeId < (uint)_tables.Length && _tables[typeId] is { Count: > 0 } table)
        {
            if (typeof(TKey) == typeof(string))
            {
                if (TryResolve(typeId, (string)(object)key, out string? found))
                {
                    serverKey = (TKey)(object)found;
                    return true;
                }
            }
            else if (table.Typed is Dictionary<TKey, TKey> typed)
            {
                return typed.TryGetValue(key, out serverKey);
            }
            else if (table.ByString.TryGetValue(SyncKeys.Format(key), out string? found))
            {
                // A slot whose type differs from the target's key type (a long slot for an int key).
                serverKey = SyncKeys.Parse<TKey>(found);
                return true;
            }
        }

        serverKey = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SummaryBit(string key) => key.Length == 0 ? 0 : ((key.Length * 31) + (key[0] * 7) + key[^1]) & 255;

    private sealed class Table(SyncKeyKind kind)
    {
        public ConcurrentDictionary<string, string> ByString { get; } = new(StringComparer.Ordinal);

        public object? Typed { get; } = kind switch
        {
            SyncKeyKind.Guid => new Dictionary<Guid, Guid>(),
            SyncKeyKind.Int64 => new Dictionary<long, long>(),
            SyncKeyKind.Int32 => new Dictionary<int, int>(),
            _ => null,
        };

        // Counted here: ConcurrentDictionary.Count takes every lock of the table.
        public int Count { get; private set; }

        /// <summary>Adds a mapping to the string table and the typed one; <see langword="false"/> when the key was mapped already.</summary>
        public bool Add(string optimisticKey, string serverKey)
        {
            if (!ByString.TryAdd(optimisticKey, serverKey))
            {
                return false;
            }

            Count++;
            switch (Typed)
            {
                case Dictionary<Guid, Guid> guids when Guid.TryParse(optimisticKey, out Guid o) && Guid.TryParse(serverKey, out Guid s):
                    guids[o] = s;
                    break;
                case Dictionary<long, long> longs when SyncKeys.IsValid(SyncKeyKind.Int64, optimisticKey) && SyncKeys.IsValid(SyncKeyKind.Int64, serverKey):
                    longs[SyncKeys.Parse<long>(optimisticKey)] = SyncKeys.Parse<long>(serverKey);
                    break;
                case Dictionary<int, int> ints when SyncKeys.IsValid(SyncKeyKind.Int32, optimisticKey) && SyncKeys.IsValid(SyncKeyKind.Int32, serverKey):
                    ints[SyncKeys.Parse<int>(optimisticKey)] = SyncKeys.Parse<int>(serverKey);
                    break;
            }

            return true;
        }
    }
}
