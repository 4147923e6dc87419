using OfflineSync.Protocol;

namespace OfflineSync.Server.Resources;

/// <summary>
/// The server's rules for the tokens a request carries — keys, client ids, idempotency keys — checked
/// before anything is stored (docs/protocol.md, "Limits"). They travel in headers and URLs and come back
/// in answer headers, so a value outside <see cref="SyncLimits"/> is refused at the door: stored, it would
/// make every later answer about its row fail.
/// </summary>
internal static class InputRules
{
    /// <summary>Checks a key (a path key, a body key, an optimistic key, a reference): 400 <c>invalid_key</c> when it breaks the limits.</summary>
    /// <param name="value">The key; <see langword="null"/> stands for a <c>null</c> element in a list of keys and is refused.</param>
    /// <param name="field">Where the key came from, for the problem's detail.</param>
    public static SyncProblem? CheckKey(string? value, string field) =>
        value is not null && SyncLimits.IsValidKey(value) ? null : SyncProblem.InvalidKey(field, value, SyncLimits.MaxKeyLength);

    /// <summary>Checks a client id: 400 <c>invalid_key</c> when it breaks the limits.</summary>
    public static SyncProblem? CheckClientId(string value, string field) =>
        SyncLimits.IsValidClientId(value) ? null : SyncProblem.InvalidKey(field, value, SyncLimits.MaxClientIdLength);

    /// <summary>Checks an idempotency key: 400 <c>invalid_key</c> when it breaks the limits.</summary>
    public static SyncProblem? CheckIdempotencyKey(string value, string field) =>
        SyncLimits.IsValidIdempotencyKey(value) ? null : SyncProblem.InvalidKey(field, value, SyncLimits.MaxIdempotencyKeyLength);
}
