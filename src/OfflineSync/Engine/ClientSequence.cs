namespace OfflineSync;

/// <summary>
/// The client sequence: every queued mutation, and every update folded into a create, takes the next number; numbers
/// are never reused, also across restarts (the store records the last one used).
/// </summary>
/// <remarks>Not thread-safe: used under the engine's lock.</remarks>
internal sealed class ClientSequence
{
    /// <summary>Gets the last number used.</summary>
    public long Last { get; private set; }

    /// <summary>Gets the number the next mutation takes, without using it: it is used once the mutation is stored (<see cref="Used"/>).</summary>
    public long Peek => Last + 1;

    /// <summary>Takes the next number.</summary>
    public long Next() => ++Last;

    /// <summary>Records that <paramref name="sequence"/> was used (stored, or found in the store).</summary>
    public void Used(long sequence) => Last = Math.Max(Last, sequence);
}
