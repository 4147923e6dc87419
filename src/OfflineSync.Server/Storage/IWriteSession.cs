using OfflineSync.Server.Access;

namespace OfflineSync.Server.Storage;

/// <summary>
/// One write transaction as the mutation code sees it. Reads see the transaction's own writes; a row read
/// here is held against concurrent writers until the transaction ends, so a version checked here is the
/// version the write replaces. Writes may be sent to the database when the transaction commits.
/// </summary>
internal interface IWriteSession
{
    /// <summary>Gets the transaction's time in Unix milliseconds.</summary>
    long Now { get; }

    /// <summary>Reads a row, tombstones included; <see langword="null"/> when no row ever had the key.</summary>
    ValueTask<StoredRow?> GetRowAsync(string resource, string key);

    /// <summary>
    /// Returns whether no row (not even a tombstone) has <paramref name="key"/>, for a key the server made up
    /// (a ULID or a version 7 Guid): a store whose unique index would refuse a taken key at commit, and then run
    /// the transaction again, may answer without reading.
    /// </summary>
    ValueTask<bool> IsGeneratedKeyFreeAsync(string resource, string key);

    /// <summary>
    /// Reads ahead, where the store gains by it, the rows and idempotency records a batch is about to read: one
    /// round trip instead of one per mutation. A hint only: every read stays correct without it.
    /// </summary>
    ValueTask PrefetchAsync(IReadOnlyCollection<(string Resource, string Key)> rows, IReadOnlyCollection<(string? ClientId, string Key)> idempotencyKeys);

    /// <summary>Inserts a new row and appends its <c>added</c> change (<see cref="ChangeLog"/>); <paramref name="access"/> is who may read it under a row policy.</summary>
    void InsertRow(string resource, string key, byte[] json, long version, string? clientId, string? origin, RowAccess? access);

    /// <summary>
    /// Replaces a row (or marks it deleted) and appends the matching change in place of the row's entry in the log (<see cref="ChangeLog"/>);
    /// <paramref name="access"/> is who may read it from now on.
    /// </summary>
    void UpdateRow(string resource, string key, byte[]? json, long version, string? origin, bool deleted, RowAccess? access);

    /// <summary>Finds the unexpired record of <paramref name="clientId"/>'s idempotency key; another client's record with the same key is not seen.</summary>
    ValueTask<IdempotencyRecord?> GetIdempotencyAsync(string? clientId, string key);

    /// <summary>Stores the record of <paramref name="clientId"/>'s idempotency key.</summary>
    void PutIdempotency(string? clientId, string key, IdempotencyRecord record);

    /// <summary>Returns the next number of the resource's key sequence; never the same twice.</summary>
    ValueTask<long> NextKeyAsync(string resource);

    /// <summary>Makes the resource's key sequence continue above a kept proposed key.</summary>
    ValueTask RaiseKeyAsync(string resource, long value);
}
