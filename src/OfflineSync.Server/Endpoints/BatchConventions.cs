using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// Holds the items of <c>POST /sync/batch</c> to the conventions of their resources' own endpoints: what an app
/// puts on a resource's route group (<c>MapSyncResource&lt;T&gt;().RequireAuthorization()</c>, <c>.RequireHost(...)</c>,
/// <c>.RequireCors(...)</c>) holds for writes that reach the resource through the batch too. A convention the batch
/// cannot run for an item (endpoint filters, rate limiting, anything it does not know) refuses the whole batch
/// (400 <c>batch_unsupported</c>) rather than being skipped: such a resource is written through its own endpoints.
/// </summary>
/// <remarks>
/// The conventions judged are the metadata and endpoint filters of the resource's create endpoint that the batch endpoint
/// does not have itself (an outer group's conventions hold for both, and ran for the batch already).
/// </remarks>
internal static class BatchConventions
{
    /// <summary>Returns the problem to answer when the caller may not write one of <paramref name="resources"/> through the batch, or <see langword="null"/>.</summary>
    public static async Task<SyncProblem?> CheckAsync(HttpContext context, SyncServerState state, IEnumerable<string> resources)
    {
        var checkedNames = new HashSet<string>(StringComparer.Ordinal);
        int index = -1;
        foreach (string name in resources)
        {
            index++;
            if (!checkedNames.Add(name) || state.Find(name) is not { } resource)
            {
                continue; // checked with its first item; an unknown resource fails as an item of its own
            }

            object[] own = OwnConventions(resource, state);
            SyncProblem? problem = Unsupported(resource, state, own)
                ?? CheckHost(context, name, own)
                ?? await CheckCorsAsync(context, name, own).ConfigureAwait(false)
                ?? await CheckAuthorizationAsync(context, name, own).ConfigureAwait(false);
            if (problem is not null)
            {
                // The first item of the resource: a client sends the items before it and learns the refusal from it alone.
                return problem with { Mutation = index };
            }
        }

        return null;
    }

    /// <summary>The resource's metadata the batch endpoint lacks: the conventions its group added.</summary>
    private static object[] OwnConventions(SyncResource resource, SyncServerState state)
    {
        var batch = new HashSet<object>(state.BatchMetadata, ReferenceEqualityComparer.Instance);
        return resource.EndpointMetadata.Where(m => !batch.Contains(m)).ToArray();
    }

    private static SyncProblem? Unsupported(SyncResource resource, SyncServerState state, object[] own)
    {
        var unsupported = own.Where(static m => !IsHonoured(m) && !IsDescriptive(m)).Select(static m => m.GetType().Name).Distinct().ToList();
        if (resource.EndpointFilters.Except(state.BatchFilters).Any())
        {
            unsupported.Insert(0, "endpoint filters");
        }

        return unsupported.Count == 0 ? null : SyncProblem.BatchUnsupported(resource.Name, string.Join(", ", unsupported));
    }

    /// <summary>The conventions this class runs for each item.</summary>
    private static bool IsHonoured(object metadata) =>
        metadata is IAuthorizeData or AuthorizationPolicy or IAllowAnonymous or IHostMetadata or ICorsMetadata;

    /// <summary>Metadata that changes nothing about how a write is handled: routing's own, and what describes the endpoint.</summary>
    private static bool IsDescriptive(object metadata) =>
        metadata is IHttpMethodMetadata or IEndpointNameMetadata or IRouteNameMetadata or IEndpointSummaryMetadata or IEndpointDescriptionMetadata
            or ITagsMetadata or IExcludeFromDescriptionMetadata or IEndpointGroupNameMetadata or IProducesResponseTypeMetadata or IAcceptsMetadata
            or IRouteDiagnosticsMetadata or MethodInfo or DisableRateLimitingAttribute;

    /// <summary><c>RequireHost</c>: an item for a resource the request's host does not serve is refused as if the resource were not there.</summary>
    private static SyncProblem? CheckHost(HttpContext context, string name, object[] own)
    {
        foreach (IHostMetadata hosts in own.OfType<IHostMetadata>())
        {
            if (hosts.Hosts.Count > 0 && !hosts.Hosts.Any(pattern => HostMatches(pattern, context.Request)))
            {
                return SyncProblem.UnknownResource(name);
            }
        }

        return null;
    }

    /// <summary>Matches as routing's host matcher does: <c>host</c>, <c>*.suffix</c> or <c>*</c>, each with an optional <c>:port</c> or <c>:*</c>.</summary>
    private static bool HostMatches(string pattern, HttpRequest request)
    {
        string hostPart = pattern, portPart = "*";
        int colon = pattern.LastIndexOf(':');
        if (colon >= 0 && !pattern.EndsWith(']'))
        {
            (hostPart, portPart) = (pattern[..colon], pattern[(colon + 1)..]);
        }

        string host = request.Host.Host;
        int port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        bool portMatches = portPart == "*" || port.ToString(System.Globalization.CultureInfo.InvariantCulture) == portPart;
        bool hostMatches = hostPart == "*"
            || (hostPart.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(hostPart[1..], StringComparison.OrdinalIgnoreCase))
            || string.Equals(hostPart, host, StringComparison.OrdinalIgnoreCase);
        return portMatches && hostMatches;
    }

    /// <summary>
    /// <c>RequireCors</c>, <c>[EnableCors]</c>, <c>[DisableCors]</c>: a cross-origin request may write the resource only
    /// if its own CORS policy allows the request's origin.
    /// </summary>
    private static async Task<SyncProblem?> CheckCorsAsync(HttpContext context, string name, object[] own)
    {
        string? origin = context.Request.Headers.Origin;
        if (!own.OfType<ICorsMetadata>().Any() || string.IsNullOrEmpty(origin) || IsSameOrigin(context.Request, origin))
        {
            return null;
        }

        if (own.OfType<IDisableCorsAttribute>().Any())
        {
            return SyncProblem.CrossOriginRefused(name, origin);
        }

        CorsPolicy? policy = own.OfType<ICorsPolicyMetadata>().LastOrDefault()?.Policy;
        if (policy is null && own.OfType<IEnableCorsAttribute>().LastOrDefault() is { } enable)
        {
            ICorsPolicyProvider provider = context.RequestServices.GetRequiredService<ICorsPolicyProvider>();
            policy = await provider.GetPolicyAsync(context, enable.PolicyName).ConfigureAwait(false);
        }

        ICorsService cors = context.RequestServices.GetRequiredService<ICorsService>();
        return policy is not null && cors.EvaluatePolicy(context, policy).IsOriginAllowed ? null : SyncProblem.CrossOriginRefused(name, origin);
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static async Task<SyncProblem?> CheckAuthorizationAsync(HttpContext context, string name, object[] own)
    {
        if (await PolicyOfAsync(context, own).ConfigureAwait(false) is not { } policy)
        {
            return null;
        }

        IPolicyEvaluator evaluator = context.RequestServices.GetRequiredService<IPolicyEvaluator>();
        AuthenticateResult authentication = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
        PolicyAuthorizationResult result = await evaluator.AuthorizeAsync(policy, authentication, context, resource: null).ConfigureAwait(false);
        if (result.Challenged)
        {
            return SyncProblem.Unauthorized(name);
        }

        return result.Forbidden ? SyncProblem.Forbidden(name) : null;
    }

    private static async Task<AuthorizationPolicy?> PolicyOfAsync(HttpContext context, object[] own)
    {
        if (own.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }

        IAuthorizeData[] authorizeData = own.OfType<IAuthorizeData>().ToArray();
        AuthorizationPolicy[] policies = own.OfType<AuthorizationPolicy>().ToArray();
        if (authorizeData.Length == 0 && policies.Length == 0)
        {
            return null;
        }

        IAuthorizationPolicyProvider provider = context.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>();
        return await AuthorizationPolicy.CombineAsync(provider, authorizeData, policies).ConfigureAwait(false);
    }
}
