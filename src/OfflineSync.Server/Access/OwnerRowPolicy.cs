using System.Security.Claims;

namespace OfflineSync.Server.Access;

/// <summary>
/// The common case (<c>OwnedBy</c>): each row belongs to the user who created it; the owner reads and writes it,
/// the users it is shared with (<c>SharedWith</c>) read it. Access keys are owner ids.
/// </summary>
internal sealed class OwnerRowPolicy<T> : SyncRowPolicy<T>
    where T : class
{
    private readonly Func<ClaimsPrincipal, string?> _owner;
    private readonly Func<T, IEnumerable<string>?>? _sharedWith;

    public OwnerRowPolicy(Func<ClaimsPrincipal, string?> owner, Func<T, IEnumerable<string>?>? sharedWith)
    {
        _owner = owner;
        _sharedWith = sharedWith;
    }

    public override IReadOnlyCollection<string>? GetReadKeys(ClaimsPrincipal user) => OwnerOf(user) is { } owner ? [owner] : [];

    public override string? GetOwner(ClaimsPrincipal user) => OwnerOf(user);

    public override IEnumerable<string> GetRowKeys(T row, string? owner)
    {
        if (owner is not null)
        {
            yield return owner;
        }

        foreach (string reader in _sharedWith?.Invoke(row) ?? [])
        {
            yield return reader;
        }
    }

    /// <summary>Only the owner writes: a user without an owner id creates nothing, and no one else changes or deletes the row.</summary>
    public override bool CanWrite(ClaimsPrincipal user, SyncRowWrite<T> write) =>
        OwnerOf(user) is { } owner && string.Equals(owner, write.Owner, StringComparison.Ordinal);

    /// <summary>An anonymous user owns nothing, whatever the delegate makes of its (empty) claims.</summary>
    private string? OwnerOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && _owner(user) is { Length: > 0 } owner ? owner : null;
}
