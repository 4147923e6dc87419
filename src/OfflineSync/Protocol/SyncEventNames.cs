using System.Diagnostics.CodeAnalysis;

namespace OfflineSync.Protocol;

/// <summary>
/// The change feed's Server-Sent Events vocabulary (docs/protocol.md, "Feed"): the media type and the
/// <c>event:</c> names, shared by <c>HttpSyncTransport</c> and the reference server so the two cannot drift apart.
/// </summary>
public static class SyncEventNames
{
    /// <summary>The media type of the feed's answer: <c>text/event-stream</c>.</summary>
    public const string MediaType = "text/event-stream";

    /// <summary>A live row sent on a fresh start (the snapshot): <c>existing</c>.</summary>
    public const string Existing = "existing";

    /// <summary>A row was created: <c>added</c>.</summary>
    public const string Added = "added";

    /// <summary>A row was updated: <c>changed</c>.</summary>
    public const string Changed = "changed";

    /// <summary>A row was deleted: <c>removed</c>.</summary>
    public const string Removed = "removed";

    /// <summary>The requested position cannot be caught up (past the server's retention): <c>invalidate</c>.</summary>
    public const string Invalidate = "invalidate";

    /// <summary>Gets the event name of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind of change.</param>
    /// <returns>The name the feed sends it under.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined <see cref="ChangeKind"/>.</exception>
    public static string NameOf(ChangeKind kind) => kind switch
    {
        ChangeKind.Existing => Existing,
        ChangeKind.Added => Added,
        ChangeKind.Changed => Changed,
        ChangeKind.Removed => Removed,
        ChangeKind.Invalidate => Invalidate,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown change kind."),
    };

    /// <summary>Reads an event name; names this version does not know (a newer server's) are not an error, the client skips them.</summary>
    /// <param name="name">The <c>event:</c> field.</param>
    /// <param name="kind">The kind of change, when the name is known.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is one of the protocol's event names.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out ChangeKind kind)
    {
        switch (name)
        {
            case Existing: kind = ChangeKind.Existing; return true;
            case Added: kind = ChangeKind.Added; return true;
            case Changed: kind = ChangeKind.Changed; return true;
            case Removed: kind = ChangeKind.Removed; return true;
            case Invalidate: kind = ChangeKind.Invalidate; return true;
            default: kind = default; return false;
        }
    }
}
