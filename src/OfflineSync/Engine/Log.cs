using Microsoft.Extensions.Logging;

namespace OfflineSync;

/// <summary>The engine's structured log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Sync engine started for client {ClientId}: {Pending} pending mutations, {Mappings} ID mappings")]
    public static partial void Started(ILogger logger, string clientId, int pending, int mappings);

    [LoggerMessage(2, LogLevel.Debug, "Queued {Kind} of {Resource} {Key} as mutation {Sequence}")]
    public static partial void Queued(ILogger logger, MutationKind kind, string resource, string key, long sequence);

    [LoggerMessage(3, LogLevel.Debug, "Pushing {Count} mutations starting at {Sequence}")]
    public static partial void Pushing(ILogger logger, int count, long sequence);

    [LoggerMessage(4, LogLevel.Information, "{Resource} {OptimisticKey} is {ServerKey} on the server")]
    public static partial void Remapped(ILogger logger, string resource, string optimisticKey, string serverKey);

    [LoggerMessage(5, LogLevel.Warning, "Mutation {Sequence} ({Kind} of {Resource} {Key}) failed transiently on attempt {Attempt}: {Error}; retrying in {Delay}")]
    public static partial void Transient(ILogger logger, long sequence, MutationKind kind, string resource, string key, int attempt, string error, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Error, "Mutation {Sequence} ({Kind} of {Resource} {Key}) failed permanently ({Reason}): {Error}")]
    public static partial void FailedPermanently(ILogger logger, long sequence, MutationKind kind, string resource, string key, FailureReason reason, string? error);

    [LoggerMessage(7, LogLevel.Warning, "Conflict on mutation {Sequence} ({Kind} of {Resource} {Key}), resolved by {Strategy}: {Error}")]
    public static partial void Conflict(ILogger logger, long sequence, MutationKind kind, string resource, string key, ConflictStrategy strategy, string error);

    [LoggerMessage(8, LogLevel.Warning, "Queue full ({MaxQueueSize}): dropped mutation {Sequence} ({Kind} of {Resource} {Key})")]
    public static partial void Dropped(ILogger logger, int maxQueueSize, long sequence, MutationKind kind, string resource, string key);

    [LoggerMessage(9, LogLevel.Error, "A {Event} handler threw")]
    public static partial void HandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "The store holds data of resource '{Resource}', which this client does not sync; it is left untouched")]
    public static partial void UnknownResource(ILogger logger, string resource);

    [LoggerMessage(11, LogLevel.Information, "Sync status {Previous} -> {Current}")]
    public static partial void StatusChanged(ILogger logger, SyncStatus previous, SyncStatus current);

    [LoggerMessage(12, LogLevel.Error, "The sync drain stopped unexpectedly")]
    public static partial void DrainCrashed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "The store maps {Resource} {OptimisticKey} to '{ServerKey}', which is not a valid key of the resource; the mapping is ignored")]
    public static partial void InvalidMapping(ILogger logger, string resource, string optimisticKey, string serverKey);

    [LoggerMessage(14, LogLevel.Warning, "The server refused the client's credentials; sync waits for new ones (NotifyCredentialsChanged): {Error}")]
    public static partial void Unauthorized(ILogger logger, string error);
}
