using System.Security.Claims;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Resources;

/// <summary>The non-generic face of one served entity type, so the batch endpoint can dispatch by resource name.</summary>
internal abstract class SyncResource
{
    public abstract string Name { get; }

    public abstract SyncKeyKind KeyKind { get; }

    /// <summary>
    /// Gets or sets the metadata of the resource's create endpoint once every convention ran, the app's
    /// authorization policies included, so the batch endpoint can hold the resource's items to them.
    /// </summary>
    public IReadOnlyList<object> EndpointMetadata { get; set; } = [];

    /// <summary>Gets or sets the endpoint filter factories of the resource's create endpoint, which the batch endpoint cannot run for its items.</summary>
    public IReadOnlyList<Delegate> EndpointFilters { get; set; } = [];

    /// <summary>Gets the access keys under which <paramref name="user"/> reads this resource; <see langword="null"/> when reads are not filtered (<see cref="ReadScope"/>).</summary>
    public abstract IReadOnlyCollection<string>? ReadKeysFor(ClaimsPrincipal user);

    /// <summary>Gets what a request of <paramref name="user"/> as <paramref name="clientId"/> reads of this resource.</summary>
    public ReadScope ScopeFor(ClaimsPrincipal user, string? clientId) => new(Name, clientId, ReadKeysFor(user));

    /// <summary>Applies a create, update or delete inside the caller's write transaction, under the server's clock and row limit.</summary>
    public ValueTask<MutationOutcome> ApplyAsync(IWriteSession session, MutationRequest request, BatchScope? scope, SyncServerOptions options) => request.Kind switch
    {
        MutationKind.Create => CreateAsync(session, request, scope, options),
        MutationKind.Update => UpdateAsync(session, request, scope, options),
        MutationKind.Delete => DeleteAsync(session, request, scope),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown mutation kind."),
    };

    protected abstract ValueTask<MutationOutcome> CreateAsync(IWriteSession session, MutationRequest request, BatchScope? scope, SyncServerOptions options);

    protected abstract ValueTask<MutationOutcome> UpdateAsync(IWriteSession session, MutationRequest request, BatchScope? scope, SyncServerOptions options);

    protected abstract ValueTask<MutationOutcome> DeleteAsync(IWriteSession session, MutationRequest request, BatchScope? scope);
}
