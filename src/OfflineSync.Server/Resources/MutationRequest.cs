namespace OfflineSync.Server.Resources;

/// <summary>One write as the server received it, from a single request or one item of a batch.</summary>
/// <param name="Kind">Create, update or delete.</param>
/// <param name="Key">The key from the route (update, delete); <see langword="null"/> for a create, whose key is in the body.</param>
/// <param name="OptimisticKey">The client's optimistic key of a created row (<c>X-Optimistic-Id</c>).</param>
/// <param name="ClientId">The sending client (<c>X-Client-Id</c>).</param>
/// <param name="IdempotencyKey">The idempotency key, if any.</param>
/// <param name="IfMatch">The base version from <c>If-Match</c>, if any.</param>
/// <param name="Body">The entity (create) or patch (update) as UTF-8 JSON.</param>
/// <param name="User">The request's user, whom the resource's row policy judges; <see langword="null"/> for an anonymous one.</param>
internal readonly record struct MutationRequest(
    MutationKind Kind,
    string? Key,
    string? OptimisticKey,
    string? ClientId,
    string? IdempotencyKey,
    long? IfMatch,
    ReadOnlyMemory<byte> Body,
    System.Security.Claims.ClaimsPrincipal? User = null)
{
    private static readonly System.Security.Claims.ClaimsPrincipal Anonymous = new(new System.Security.Claims.ClaimsIdentity());

    /// <summary>Gets the user the row policy judges: <see cref="User"/>, or an anonymous one.</summary>
    public System.Security.Claims.ClaimsPrincipal Caller => User ?? Anonymous;
}
