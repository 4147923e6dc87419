using Microsoft.AspNetCore.Http;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// Says which client a request speaks for — the one place that decides it. Idempotency records are kept
/// per client, and a row's origin is shown only to its creating client, so everything that scopes by
/// client asks here.
/// </summary>
/// <remarks>
/// Today the identity is the <c>X-Client-Id</c> header: a client can claim any id, so the scoping keeps
/// honest clients apart (equal numeric optimistic keys, predictable idempotency keys) but does not stop a
/// client that impersonates another. Binding the id to the authenticated principal belongs here.
/// </remarks>
internal static class RequestIdentity
{
    /// <summary>Reads the requesting client's id; <see langword="null"/> when the request names none.</summary>
    /// <returns>The problem to answer when the header is repeated or breaks <see cref="SyncLimits"/>, otherwise <see langword="null"/>.</returns>
    public static SyncProblem? TryGetClientId(HttpContext context, out string? clientId)
    {
        SyncProblem? problem = HttpIo.TrySingleHeader(context.Request, SyncHeaderNames.ClientId, out clientId);
        if (problem is null && clientId is not null)
        {
            problem = InputRules.CheckClientId(clientId, SyncHeaderNames.ClientId);
        }

        return problem;
    }

    /// <summary>
    /// Returns who a change feed counts against (<see cref="Feed.FeedAdmission"/>): the client id, or for a request
    /// without one its remote address, so anonymous callers do not share one allowance.
    /// </summary>
    public static string FeedOwner(HttpContext context, string? clientId) =>
        clientId ?? "address " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
