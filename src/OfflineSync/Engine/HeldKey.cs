namespace OfflineSync;

/// <summary>
/// A key a queued payload holds for a create that was still queued when the payload was written: the text the
/// reference slots hold, and how many slots hold it (the generated visitor counted them).
/// </summary>
/// <param name="Create">The queued create whose key the slots hold; <see langword="null"/> for a key mapped before a restart whose create is gone.</param>
/// <param name="Text">The key as the slots hold it, in canonical string form.</param>
/// <param name="Slots">How many reference slots hold it.</param>
/// <param name="Server">With no <paramref name="Create"/>, the server key the slots take.</param>
internal readonly record struct HeldKey(QueuedMutation? Create, string Text, int Slots, string? Server = null);

/// <summary>What the engine derives from the <see cref="HeldKey"/> list a visitor collected.</summary>
internal static class HeldKeys
{
    /// <summary>The distinct queued creates the keys belong to, or <see langword="null"/> when there are none.</summary>
    public static QueuedMutation[]? Creates(List<HeldKey>? held)
    {
        int count = CountOfCreates(held);
        if (count == 0)
        {
            return null;
        }

        var creates = new QueuedMutation[count];
        int distinct = 0;
        foreach (HeldKey key in held!)
        {
            if (key.Create is { } create && Array.IndexOf(creates, create, 0, distinct) < 0)
            {
                creates[distinct++] = create;
            }
        }

        return distinct == count ? creates : creates[..distinct];
    }

    /// <summary>The keys of queued creates, as a view indexes the references a mapping may still rewrite; <see langword="null"/> when there are none.</summary>
    public static (string Resource, string Key)[]? OpenReferences(List<HeldKey>? held)
    {
        int count = CountOfCreates(held);
        if (count == 0)
        {
            return null;
        }

        var references = new (string Resource, string Key)[count];
        int next = 0;
        foreach (HeldKey key in held!)
        {
            if (key.Create is { } create)
            {
                references[next++] = (create.Resource.Name, key.Text);
            }
        }

        return references;
    }

    /// <summary>How many of the keys belong to queued creates.</summary>
    private static int CountOfCreates(List<HeldKey>? held)
    {
        int count = 0;
        foreach (HeldKey key in held ?? [])
        {
            if (key.Create is not null)
            {
                count++;
            }
        }

        return count;
    }
}
