using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OfflineSync;
using OfflineSync.Server;
using OfflineSync.Server.Access;
using OfflineSync.Server.Resources;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The endpoints of one synced resource (<c>MapSyncResource&lt;T&gt;()</c>): add endpoint conventions as to any route
/// group (<c>RequireAuthorization()</c>, <c>RequireHost(...)</c>, <c>RequireCors(...)</c>), and say who may read and
/// write which rows (<see cref="OwnedBy"/>, <see cref="SharedWith"/>, <see cref="WithRowPolicy"/>; docs/security.md).
/// </summary>
/// <typeparam name="T">The entity type.</typeparam>
public sealed class SyncResourceBuilder<T> : IEndpointConventionBuilder
    where T : class, ISyncEntity<T>
{
    private readonly RouteGroupBuilder _group;
    private readonly SyncResource<T> _resource;
    private Func<ClaimsPrincipal, string?>? _owner;
    private Func<T, IEnumerable<string>?>? _sharedWith;

    internal SyncResourceBuilder(RouteGroupBuilder group, SyncResource<T> resource)
    {
        _group = group;
        _resource = resource;
    }

    /// <summary>
    /// Makes each row belong to the signed-in user who creates it: the owner is stamped on the row from
    /// <paramref name="owner"/> (kept by the server, never taken from the client), only the owner reads the row
    /// (and the users of <see cref="SharedWith"/>), only the owner updates or deletes it, and anonymous callers
    /// read nothing and write nothing (401).
    /// </summary>
    /// <param name="owner">Names the user, for example <c>user =&gt; user.FindFirstValue("sub")</c>; <see langword="null"/> or empty for a user who may own nothing.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The resource has a row policy already.</exception>
    public SyncResourceBuilder<T> OwnedBy(Func<ClaimsPrincipal, string?> owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (_resource.Policy is not null)
        {
            throw new InvalidOperationException($"'{T.ResourceName}' has a row policy already; a resource has one.");
        }

        _owner = owner;
        _resource.Policy = new OwnerRowPolicy<T>(owner, _sharedWith);
        return this;
    }

    /// <summary>
    /// Lets the users a row names read it besides its owner (<see cref="OwnedBy"/>), for example
    /// <c>category =&gt; category.SharedWith</c>: a change of the list moves the row into or out of their views (their
    /// feeds get <c>added</c> or <c>removed</c>). They do not write it.
    /// </summary>
    /// <param name="readers">The user ids (as <see cref="OwnedBy"/>'s delegate names users) the row is shared with.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OwnedBy"/> was not called first.</exception>
    public SyncResourceBuilder<T> SharedWith(Func<T, IEnumerable<string>?> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        if (_owner is null)
        {
            throw new InvalidOperationException($"Call OwnedBy(...) on '{T.ResourceName}' before SharedWith(...): shares extend an owner's rows.");
        }

        _sharedWith = readers;
        _resource.Policy = new OwnerRowPolicy<T>(_owner, readers);
        return this;
    }

    /// <summary>Sets the general row policy: access keys for reads, a decision for each write (<see cref="SyncRowPolicy{T}"/>).</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The resource has a row policy already.</exception>
    public SyncResourceBuilder<T> WithRowPolicy(SyncRowPolicy<T> policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (_resource.Policy is not null)
        {
            throw new InvalidOperationException($"'{T.ResourceName}' has a row policy already; a resource has one.");
        }

        _resource.Policy = policy;
        return this;
    }

    /// <inheritdoc/>
    public void Add(Action<EndpointBuilder> convention) => ((IEndpointConventionBuilder)_group).Add(convention);

    /// <inheritdoc/>
    public void Finally(Action<EndpointBuilder> finallyConvention) => ((IEndpointConventionBuilder)_group).Finally(finallyConvention);
}
