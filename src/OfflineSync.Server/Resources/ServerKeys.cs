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
    public static string? Assign(WriteSession session, string resource, SyncKeyKind kind, string proposed, bool proposedIsOptimistic, TimeProvider time)
    {
        switch (kind)
        {
            case SyncKeyKind.String:
                if (proposed.Length > 0 && !proposedIsOptimistic && IsFree(session, resource, proposed))
                {
                    return proposed;
                }

                string id;
                do
                {
                    // A ULID without the optimistic prefix: compact and ordered by creation time.
                    id = OptimisticKeys.NewString(time)[OptimisticKeys.StringPrefix.Length..];
                }
                while (!IsFree(session, resource, id));
                return id;

            case SyncKeyKind.Guid:
                if (Guid.TryParse(proposed, out Guid guid) && guid != Guid.Empty)
                {
                    string canonical = SyncKeys.Format(guid);
                    if (IsFree(session, resource, canonical))
                    {
                        return canonical;
                    }
                }

                string fresh;
                do
                {
                    fresh = SyncKeys.Format(Guid.CreateVersion7(time.GetUtcNow()));
                }
                while (!IsFree(session, resource, fresh));
                return fresh;

            case SyncKeyKind.Int64:
            case SyncKeyKind.Int32:
                long max = kind == SyncKeyKind.Int32 ? int.MaxValue : long.MaxValue;
                if (!proposedIsOptimistic
                    && long.TryParse(proposed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                    && number > 0 && number <= max
                    && IsFree(session, resource, SyncKeys.Format(number)))
                {
                    session.RaiseKey(resource, number);
                    return SyncKeys.Format(number);
                }

                while (true)
                {
                    long next = session.NextKey(resource);
                    if (next > max)
                    {
                        return null;
                    }

                    string text = SyncKeys.Format(next);
                    if (IsFree(session, resource, text))
                    {
                        return text;
                    }
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown key kind.");
        }
    }

    private static bool IsFree(WriteSession session, string resource, string key) => session.GetRow(resource, key) is null;
}
