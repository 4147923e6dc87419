namespace OfflineSync;

/// <summary>The application's answer to a conflict under <see cref="ConflictStrategy.Manual"/> (S11).</summary>
public sealed class ConflictResolution
{
    private ConflictResolution(ConflictResolutionKind kind, object? data)
    {
        Kind = kind;
        Data = data;
    }

    /// <summary>
    /// Drops the mutation and shows the server's state. For a create, the optimistic item is removed and
    /// the mutations that depend on it fail with <see cref="FailureReason.DependencyFailed"/>.
    /// </summary>
    public static ConflictResolution Discard { get; } = new(ConflictResolutionKind.Discard, null);

    /// <summary>Re-sends the mutation unchanged on top of the server's version, with a new idempotency key.</summary>
    public static ConflictResolution Retry { get; } = new(ConflictResolutionKind.Retry, null);

    /// <summary>Gets what to do.</summary>
    public ConflictResolutionKind Kind { get; }

    /// <summary>Gets the replacement of <see cref="Replace{TEntity}(TEntity)"/>.</summary>
    public object? Data { get; }

    /// <summary>
    /// Re-sends <paramref name="data"/> instead of what was queued: for a create the new entity; for an
    /// update the state the item should have, sent as the difference from the server's state.
    /// </summary>
    /// <typeparam name="TEntity">The entity type of the conflicted resource.</typeparam>
    /// <param name="data">The replacement.</param>
    public static ConflictResolution Replace<TEntity>(TEntity data)
        where TEntity : class, ISyncEntity<TEntity>
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ConflictResolution(ConflictResolutionKind.Replace, data);
    }
}

/// <summary>The kinds of <see cref="ConflictResolution"/>.</summary>
public enum ConflictResolutionKind
{
    /// <summary>See <see cref="ConflictResolution.Discard"/>.</summary>
    Discard,

    /// <summary>See <see cref="ConflictResolution.Retry"/>.</summary>
    Retry,

    /// <summary>See <see cref="ConflictResolution.Replace{TEntity}(TEntity)"/>.</summary>
    Replace,
}
