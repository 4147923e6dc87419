using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// Holds the items of <c>POST /sync/batch</c> to the authorization of their resources' own endpoints:
/// the policies an app puts on a resource's route group (<c>MapSyncResource&lt;T&gt;().RequireAuthorization()</c>)
/// would otherwise not apply to writes that reach the resource through the batch.
/// </summary>
internal static class BatchAuthorization
{
    /// <summary>Returns the problem to answer when the caller may not write one of <paramref name="resources"/>, or <see langword="null"/>.</summary>
    public static async Task<SyncProblem?> CheckAsync(HttpContext context, SyncServerState state, IEnumerable<string> resources)
    {
        foreach (string name in resources.Distinct(StringComparer.Ordinal))
        {
            if (state.Find(name) is not { } resource || await PolicyOfAsync(context, resource) is not { } policy)
            {
                continue; // an unknown resource fails as an item of its own
            }

            IPolicyEvaluator evaluator = context.RequestServices.GetRequiredService<IPolicyEvaluator>();
            AuthenticateResult authentication = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
            PolicyAuthorizationResult result = await evaluator.AuthorizeAsync(policy, authentication, context, resource: null).ConfigureAwait(false);
            if (result.Challenged)
            {
                return SyncProblem.Unauthorized(name);
            }

            if (result.Forbidden)
            {
                return SyncProblem.Forbidden(name);
            }
        }

        return null;
    }

    private static async Task<AuthorizationPolicy?> PolicyOfAsync(HttpContext context, SyncResource resource)
    {
        IReadOnlyList<object> metadata = resource.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }

        IAuthorizeData[] authorizeData = metadata.OfType<IAuthorizeData>().ToArray();
        AuthorizationPolicy[] policies = metadata.OfType<AuthorizationPolicy>().ToArray();
        if (authorizeData.Length == 0 && policies.Length == 0)
        {
            return null;
        }

        IAuthorizationPolicyProvider provider = context.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>();
        return await AuthorizationPolicy.CombineAsync(provider, authorizeData, policies).ConfigureAwait(false);
    }
}
