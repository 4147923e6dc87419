namespace OfflineSync;

/// <summary>Configures a <see cref="SqliteMutationStore"/>.</summary>
public sealed class SqliteMutationStoreOptions
{
    /// <summary>The longest <see cref="BatchWindow"/> accepted: a window is meant to be short.</summary>
    public static readonly TimeSpan MaxBatchWindow = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets when writes reach the disk.</summary>
    /// <value>The default is <see cref="OfflineSync.Durability.Full"/>: every write is on disk before the call returns.</value>
    /// <remarks>See <see cref="SqliteMutationStore"/> for exactly what <see cref="OfflineSync.Durability.Batched"/> can lose.</remarks>
    public Durability Durability { get; set; } = Durability.Full;

    /// <summary>
    /// Gets or sets, for <see cref="OfflineSync.Durability.Batched"/>, the longest time a write waits
    /// in the open batch before the batch is committed.
    /// </summary>
    /// <value>The default is 10 ms. Must be greater than zero and at most <see cref="MaxBatchWindow"/>. Ignored with <see cref="OfflineSync.Durability.Full"/>.</value>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gets or sets the clock of the store: the batch window and its timer, and the times the schema history records.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>. Pass the engine's (<c>SyncOptions.TimeProvider</c>) so that one clock drives both.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentOutOfRangeException(nameof(Durability), Durability, "Unknown durability.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (BatchWindow <= TimeSpan.Zero || BatchWindow > MaxBatchWindow)
        {
            throw new ArgumentOutOfRangeException(
                nameof(BatchWindow),
                BatchWindow,
                $"The batch window must be greater than zero and at most {MaxBatchWindow.TotalSeconds} s.");
        }
    }
}
