namespace OfflineSync;

/// <summary>The last write of one row that a push answer confirmed, as the kept rows take it (S10, S15).</summary>
/// <param name="ServerKey">The row's server key.</param>
/// <param name="Kind">What the write did.</param>
/// <param name="Version">The version the server answered.</param>
/// <param name="State">The row as the server answered it; empty when the answer carried none.</param>
/// <param name="Create">The queue sequence of the row's create while it is queued (confirmed in the same answer), else <see langword="null"/>.</param>
internal readonly record struct ConfirmedWrite(string ServerKey, MutationKind Kind, string? Version, ReadOnlyMemory<byte> State, long? Create)
{
    /// <summary>Gets whether the write can change the kept rows: a delete does, a create or an update only with the state it was answered with.</summary>
    public bool CanChangeKeptRows => Kind == MutationKind.Delete || !State.IsEmpty;
}
