namespace OfflineSync;

/// <summary>The kind of a queued mutation.</summary>
public enum MutationKind
{
    /// <summary>Creates an entity.</summary>
    Create,

    /// <summary>Changes some properties of an entity.</summary>
    Update,

    /// <summary>Deletes an entity.</summary>
    Delete,
}
