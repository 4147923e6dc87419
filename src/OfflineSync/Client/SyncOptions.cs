namespace OfflineSync;

/// <summary>Configures a <see cref="SyncClient"/>.</summary>
public sealed class SyncOptions
{
    /// <summary>Gets or sets the transport to the server.</summary>
    /// <value>Required.</value>
    public ISyncTransport? Transport { get; set; }

    /// <summary>Gets or sets the store of the mutation queue and the ID map.</summary>
    /// <value>The default is a new <see cref="InMemoryMutationStore"/>, which loses pending changes when the process exits.</value>
    public IMutationStore? Store { get; set; }
}
