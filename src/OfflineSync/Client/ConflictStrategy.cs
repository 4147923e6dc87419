namespace OfflineSync;

/// <summary>How the engine resolves a conflict (S11).</summary>
public enum ConflictStrategy
{
    /// <summary>The mutation is dropped and the local view takes the server state (the default).</summary>
    ServerWins,

    /// <summary>The client data is re-sent on top of the server's version (last write wins).</summary>
    ClientWins,

    /// <summary>The app's <c>OnConflict</c> callback decides: discard, retry or replace.</summary>
    Manual,
}
