namespace OfflineSync.Server.Resources;

/// <summary>The server's answer to one mutation, before it is written as an HTTP response or a batch item.</summary>
internal sealed record MutationOutcome(int Status)
{
    public string? Key { get; init; }

    public string? OptimisticKey { get; init; }

    public long? Version { get; init; }

    /// <summary>Gets the row as stored, as UTF-8 JSON; <see langword="null"/> after a delete.</summary>
    public byte[]? Body { get; init; }

    public SyncProblem? Problem { get; init; }

    public bool Replayed { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public static MutationOutcome Fail(SyncProblem problem) => new(problem.Status) { Problem = problem };
}
