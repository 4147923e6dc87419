namespace OfflineSync;

/// <summary>
/// The base of the generated <c>[SyncClient]</c> class: owns the engine that the typed sets use.
/// </summary>
public abstract class SyncClient : IAsyncDisposable
{
    /// <summary>Creates the client and its engine.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="model">The entities to sync, built by the generated code.</param>
    protected SyncClient(SyncOptions options, SyncModel model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        Options = options;
        Model = model;
        Engine = null!; // The engine arrives with the engine issue; see SyncEngine.
    }

    /// <summary>Gets the options the client was made with.</summary>
    public SyncOptions Options { get; }

    /// <summary>Gets the entities the client syncs.</summary>
    public SyncModel Model { get; }

    /// <summary>Gets the engine the typed sets call.</summary>
    protected ISyncEngine Engine { get; }

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
