namespace OfflineSync;

/// <summary>Hands out process-wide indexes for entity types, so per-resource tables are arrays, not name lookups.</summary>
internal static class EntityTypeIds
{
    private static int s_last = -1;

    public static int Next() => Interlocked.Increment(ref s_last);
}

/// <summary>The index of <typeparamref name="TEntity"/>, assigned once; a generic static the JIT reads as a constant.</summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
internal static class EntityTypeId<TEntity>
    where TEntity : class, ISyncEntity<TEntity>
{
    public static readonly int Value = EntityTypeIds.Next();
}
