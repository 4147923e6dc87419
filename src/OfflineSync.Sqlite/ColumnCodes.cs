namespace OfflineSync.Sqlite;

/// <summary>
/// The integers the file stores for enums. Written out instead of casting so that reordering an
/// enum in code can never change the meaning of a stored row.
/// </summary>
internal static class ColumnCodes
{
    public static long FromKind(MutationKind kind) => kind switch
    {
        MutationKind.Create => 1,
        MutationKind.Update => 2,
        MutationKind.Delete => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown mutation kind."),
    };

    public static MutationKind ToKind(long code) => code switch
    {
        1 => MutationKind.Create,
        2 => MutationKind.Update,
        3 => MutationKind.Delete,
        _ => throw Unknown("mutation kind", code),
    };

    public static long FromStatus(MutationStatus status) => status switch
    {
        MutationStatus.Pending => 0,
        MutationStatus.InFlight => 1,
        MutationStatus.Failed => 2,
        MutationStatus.Conflicted => 3,
        MutationStatus.PermanentlyFailed => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown mutation status."),
    };

    public static MutationStatus ToStatus(long code) => code switch
    {
        0 => MutationStatus.Pending,
        1 => MutationStatus.InFlight,
        2 => MutationStatus.Failed,
        3 => MutationStatus.Conflicted,
        4 => MutationStatus.PermanentlyFailed,
        _ => throw Unknown("mutation status", code),
    };

    public static long? FromReason(FailureReason? reason) => reason switch
    {
        null => null,
        FailureReason.Exhausted => 1,
        FailureReason.Rejected => 2,
        FailureReason.DependencyFailed => 3,
        FailureReason.Conflict => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown failure reason."),
    };

    public static FailureReason ToReason(long code) => code switch
    {
        1 => FailureReason.Exhausted,
        2 => FailureReason.Rejected,
        3 => FailureReason.DependencyFailed,
        4 => FailureReason.Conflict,
        _ => throw Unknown("failure reason", code),
    };

    private static SyncStoreException Unknown(string what, long code) =>
        new($"The store holds an unknown {what} ({code}): it was written by a newer OfflineSync or damaged. Open it with the version that wrote it.");
}
