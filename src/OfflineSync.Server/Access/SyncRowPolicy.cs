using System.Security.Claims;

namespace OfflineSync.Server;

/// <summary>
/// Decides, per row, what a signed-in user may read and write of one resource: the general form behind
/// <c>MapSyncResource&lt;T&gt;().OwnedBy(...)</c>. Reads are filtered by <em>access keys</em>, evaluated in the
/// store: a row is readable under the keys <see cref="GetRowKeys"/> gives it (its owner, the users or teams it is
/// shared with, "public"…), a user reads under the keys <see cref="GetReadKeys"/> gives them, and the user sees
/// the row when the two sets meet — in lists, reads of one row and the change feed alike. Writes are decided by
/// <see cref="CanWrite"/> against the row as stored, before anything is applied.
/// </summary>
/// <typeparam name="T">The entity type of the resource.</typeparam>
/// <remarks>
/// Access keys are strings the app chooses; give each kind a prefix of its own when several kinds share a
/// resource (<c>user:alice</c>, <c>team:7</c>). A row's keys are computed when it is written, from the row and its
/// owner, and stored with it: a change of the row that changes its keys moves it into or out of users' views, and
/// their feeds get <c>added</c> or <c>removed</c>.
/// </remarks>
public abstract class SyncRowPolicy<T>
    where T : class
{
    /// <summary>Gets the access keys under which <paramref name="user"/> reads rows.</summary>
    /// <param name="user">The request's user; not authenticated when the request carries no credentials.</param>
    /// <returns>The keys (empty: the user reads nothing), or <see langword="null"/> for every row, unfiltered.</returns>
    public abstract IReadOnlyCollection<string>? GetReadKeys(ClaimsPrincipal user);

    /// <summary>Gets the owner stamped on a row <paramref name="user"/> creates, kept with the row and never changed.</summary>
    /// <param name="user">The creating user.</param>
    /// <returns>The owner, or <see langword="null"/> for a row without one (the default).</returns>
    public virtual string? GetOwner(ClaimsPrincipal user) => null;

    /// <summary>Gets the access keys under which a row can be read, each time it is written.</summary>
    /// <param name="row">The row as it will be stored.</param>
    /// <param name="owner">The row's owner (<see cref="GetOwner"/> of its creator).</param>
    /// <returns>The keys; none makes the row readable by no one.</returns>
    public abstract IEnumerable<string> GetRowKeys(T row, string? owner);

    /// <summary>Decides whether <paramref name="user"/> may make a write; a refused write is answered 403 (401 without credentials) and changes nothing.</summary>
    /// <param name="user">The writing user.</param>
    /// <param name="write">The write: its kind, the row as stored and as it would be stored.</param>
    /// <returns><see langword="true"/> to allow the write.</returns>
    public abstract bool CanWrite(ClaimsPrincipal user, SyncRowWrite<T> write);
}

/// <summary>A write a <see cref="SyncRowPolicy{T}"/> decides on.</summary>
/// <typeparam name="T">The entity type.</typeparam>
/// <param name="Kind">Create, update or delete.</param>
/// <param name="Owner">The row's owner: the stored one for an update or delete, the one to be stamped for a create.</param>
/// <param name="Stored">The row as stored; <see langword="null"/> for a create.</param>
/// <param name="Proposed">The row as the write would store it; <see langword="null"/> for a delete.</param>
public readonly record struct SyncRowWrite<T>(MutationKind Kind, string? Owner, T? Stored, T? Proposed)
    where T : class;
