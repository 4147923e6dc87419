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
/// <para>
/// A client names itself in <c>X-Client-Id</c>. An anonymous request's client is that id as sent: it keeps honest
/// clients apart (equal numeric optimistic keys, predictable idempotency keys) but cannot stop one that claims
/// another's id. An authenticated request's client is the id <em>of its user</em>: the id as sent and the user's id
/// (<see cref="SyncServerOptions.UserId"/>) together, <c>"{clientId} {userId}"</c> — a client id holds no space, so
/// the pair is unambiguous and never equals an anonymous id. Another user who sends the same <c>X-Client-Id</c> is
/// another client: it finds none of the first one's idempotency records, origins or batch keys. An authenticated
/// request without <c>X-Client-Id</c> is its user's unnamed client, <c>" {userId}"</c>.
/// </para>
/// <para>What goes back on the wire (<c>originClientId</c>) is the id as the client sent it (<see cref="OnWire"/>).</para>
/// </remarks>
internal static class RequestIdentity
{
    /// <summary>Reads the requesting client's id; <see langword="null"/> when the request is anonymous and names none.</summary>
    /// <returns>The problem to answer when the header is repeated or breaks <see cref="SyncLimits"/>, or the user has no id; otherwise <see langword="null"/>.</returns>
    public static SyncProblem? TryGetClientId(HttpContext context, SyncServerOptions options, out string? clientId) =>
        TryReadHeader(context, out clientId) ?? TryBind(context, options, ref clientId);

    /// <summary>Reads <c>X-Client-Id</c> as sent; <see langword="null"/> when the request has none.</summary>
    public static SyncProblem? TryReadHeader(HttpContext context, out string? sent)
    {
        SyncProblem? problem = HttpIo.TrySingleHeader(context.Request, SyncHeaderNames.ClientId, out sent);
        return problem is null && sent is not null ? InputRules.CheckClientId(sent, SyncHeaderNames.ClientId) : problem;
    }

    /// <summary>Makes the id as sent (<see cref="TryReadHeader"/>) the id of the request's user, when it has one; call it once the request is authenticated.</summary>
    public static SyncProblem? TryBind(HttpContext context, SyncServerOptions options, ref string? clientId)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (options.UserId(context.User) is not { Length: > 0 } user)
        {
            clientId = null;
            return SyncProblem.UnidentifiedUser();
        }

        clientId = (clientId ?? "") + " " + user;
        return null;
    }

    /// <summary>Returns the client id as its client sent it, for the wire; <see langword="null"/> for none or an unnamed client.</summary>
    public static string? OnWire(string? clientId)
    {
        if (clientId is null)
        {
            return null;
        }

        int space = clientId.IndexOf(' ', StringComparison.Ordinal);
        return space switch
        {
            < 0 => clientId,
            0 => null,
            _ => clientId[..space],
        };
    }

    /// <summary>
    /// Returns who a change feed counts against (<see cref="Feed.FeedAdmission"/>): the client id, or for a request
    /// without one its remote address, so anonymous callers do not share one allowance.
    /// </summary>
    public static string FeedOwner(HttpContext context, string? clientId) =>
        clientId ?? "address " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
