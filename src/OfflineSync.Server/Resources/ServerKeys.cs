using System.Globalization;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Resources;

/// <summary>
/// Chooses the key of a created row (S2): optimistic-looking keys are always replaced; other
/// proposed keys are kept when no row (not even a deleted one) has them.
/// </summary>
internal static class ServerKeys
{
    /// <summary>Returns the key to store, or <see langword="null"/> when the key space of the resource is exhausted.</summary>
    public static async ValueTask<string?> AssignAsync(IWriteSession session, string resource, SyncKeyKind kind, string proposed, bool proposedIsOptimistic, TimeProvider time)
    {
        switch (kind)
        {
            case SyncKeyKind.String:
                if (proposed.Length > 0 && !proposedIsOptimistic && await IsFreeAsync(session, resource, proposed).ConfigureAwait(false))
                {
                    return proposed;
                }

                string id;
                do
                {
                    // A ULID without the optimistic prefix: compact and ordered by creation time.
                    id = OptimisticKeys.NewString(time)[OptimisticKeys.StringPrefix.Length..];
                }
                while (!await session.IsGeneratedKeyFreeAsync(resource, id).ConfigureAwait(false));
                return id;

            case SyncKeyKind.Guid:
                if (Guid.TryParse(proposed, out Guid guid) && guid != Guid.Empty)
                {
                    string canonical = SyncKeys.Format(guid);
                    if (await IsFreeAsync(session, resource, canonical).ConfigureAwait(false))
                    {
                        return canonical;
                    }
                }

                string fresh;
                do
                {
                    fresh = SyncKeys.Format(Guid.CreateVersion7(time.GetUtcNow()));
                }
                while (!await session.IsGeneratedKeyFreeAsync(resource, fresh).ConfigureAwait(false));
                return fresh;

            case SyncKeyKind.Int64:
            case SyncKeyKind.Int32:
                long max = kind == SyncKeyKind.Int32 ? int.MaxValue : long.MaxValue;
                if (!proposedIsOptimistic
                    && long.TryParse(proposed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                    && number > 0 && number <= max
                    && await IsFreeAsync(session, resource, SyncKeys.Format(number)).ConfigureAwait(false))
                {
                    await session.RaiseKeyAsync(resource, number).ConfigureAwait(false);
                    return SyncKeys.Format(number);
                }

                while (true)
                {
                    long next = await session.NextKeyAsync(resource).ConfigureAwait(false);
                    if (next > max)
                    {
                        return null;
                    }

                    string text = SyncKeys.Format(next);
                    if (await IsFreeAsync(session, resource, text).ConfigureAwait(false))
                    {
                        return text;
                    }
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown key kind.");
        }
    }

    private static async ValueTask<bool> IsFreeAsync(IWriteSession session, string resource, string key) => await session.GetRowAsync(resource, key).ConfigureAwait(false) is null;
}
