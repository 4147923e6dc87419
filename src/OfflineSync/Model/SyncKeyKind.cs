namespace OfflineSync;

/// <summary>The CLR type of an entity's key. Keys travel on the wire in their canonical string form (see <see cref="SyncKeys"/>).</summary>
public enum SyncKeyKind
{
    /// <summary>A <see cref="string"/> key; optimistic keys are <c>optimistic_</c> followed by a ULID.</summary>
    String,

    /// <summary>A <see cref="System.Guid"/> key; new keys are version 7 GUIDs, proposed to the server.</summary>
    Guid,

    /// <summary>A <see cref="long"/> key; optimistic keys are negative numbers from a persisted counter.</summary>
    Int64,

    /// <summary>An <see cref="int"/> key; optimistic keys are negative numbers from a persisted counter.</summary>
    Int32,
}
