using System.Runtime.CompilerServices;

namespace OfflineSync;

/// <summary>
/// Rewrites every reference slot whose key has a confirmed mapping of the slot's target resource
/// (S12–S14). Only slots the generator declared are visited, so a look-alike string elsewhere is never
/// touched; nothing is allocated when nothing changes.
/// </summary>
internal struct RemappingVisitor(IdMap map) : IReferenceVisitor
{
    private readonly IdMap _map = map;

    /// <summary>Gets whether a slot was rewritten.</summary>
    public bool Changed { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        if (typeof(TKey) == typeof(string))
        {
            // String keys, by far the most common, take the non-generic path that inlines into the
            // generated visit: an unmapped key costs a few loads and no call.
            ref string slot = ref Unsafe.As<TKey, string>(ref key);
            if (_map.TryResolve(EntityTypeId<TTarget>.Value, slot, out string? mapped))
            {
                slot = mapped;
                Changed = true;
            }
        }
        else if (_map.TryResolve(EntityTypeId<TTarget>.Value, key, out TKey? server))
        {
            key = server;
            Changed = true;
        }
    }
}
