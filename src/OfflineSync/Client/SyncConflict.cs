using System.Text.Json;

namespace OfflineSync;

/// <summary>A conflict the server reported for a mutation (S10): what the client sent and what the server holds.</summary>
/// <remarks>Passed to <see cref="SyncClient.ConflictDetected"/> and to <see cref="SyncOptions.OnConflict"/>.</remarks>
public sealed class SyncConflict
{
    internal SyncConflict(PendingMutation mutation, ReadOnlyMemory<byte> localPayload, ReadOnlyMemory<byte> serverState, string? serverVersion, string error, ConflictStrategy strategy)
    {
        Mutation = mutation;
        LocalPayload = localPayload;
        ServerState = serverState;
        ServerVersion = serverVersion;
        Error = error;
        Strategy = strategy;
    }

    /// <summary>Gets the mutation that conflicted.</summary>
    public PendingMutation Mutation { get; }

    /// <summary>Gets the resource name.</summary>
    public string Resource => Mutation.Resource;

    /// <summary>Gets the kind of mutation.</summary>
    public MutationKind Kind => Mutation.Kind;

    /// <summary>Gets the entity key.</summary>
    public string Key => Mutation.Key;

    /// <summary>Gets what the client sent as UTF-8 JSON: the entity for a create, the patch for an update, empty for a delete.</summary>
    public ReadOnlyMemory<byte> LocalPayload { get; }

    /// <summary>Gets the row as the server holds it (UTF-8 JSON), or empty when it is gone.</summary>
    public ReadOnlyMemory<byte> ServerState { get; }

    /// <summary>Gets the row's server version, or <see langword="null"/> when it is gone.</summary>
    public string? ServerVersion { get; }

    /// <summary>Gets what the server said.</summary>
    public string Error { get; }

    /// <summary>Gets the strategy that resolves this conflict.</summary>
    public ConflictStrategy Strategy { get; }

    /// <summary>Gets whether a create conflicted (a server constraint), rather than an update or delete on a stale version.</summary>
    public bool IsCreateConflict => Mutation.Kind == MutationKind.Create;

    /// <summary>Reads the server's row, or returns <see langword="null"/> when it is gone.</summary>
    /// <typeparam name="TEntity">The entity type of <see cref="Resource"/>.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="TEntity"/> is not the conflicted resource.</exception>
    public TEntity? GetServerState<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        CheckResource<TEntity>();
        return ServerState.IsEmpty ? null : JsonSerializer.Deserialize(ServerState.Span, TEntity.JsonTypeInfo);
    }

    /// <summary>Reads what a create sent, or returns <see langword="null"/> for an update or delete.</summary>
    /// <typeparam name="TEntity">The entity type of <see cref="Resource"/>.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="TEntity"/> is not the conflicted resource.</exception>
    public TEntity? GetLocalEntity<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        CheckResource<TEntity>();
        return Kind == MutationKind.Create && !LocalPayload.IsEmpty ? JsonSerializer.Deserialize(LocalPayload.Span, TEntity.JsonTypeInfo) : null;
    }

    /// <summary>Reads what an update sent, or returns <see langword="null"/> for a create or delete.</summary>
    /// <typeparam name="TEntity">The entity type of <see cref="Resource"/>.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="TEntity"/> is not the conflicted resource.</exception>
    public ISyncPatch<TEntity>? GetLocalPatch<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        CheckResource<TEntity>();
        return Kind == MutationKind.Update && !LocalPayload.IsEmpty ? ResourceModel<TEntity>.ReadPatch(LocalPayload.Span) : null;
    }

    private void CheckResource<TEntity>()
        where TEntity : class, ISyncEntity<TEntity>
    {
        if (TEntity.ResourceName != Resource)
        {
            throw new ArgumentException($"The conflict is on '{Resource}', not on '{TEntity.ResourceName}' ({typeof(TEntity).Name}).", nameof(TEntity));
        }
    }
}
