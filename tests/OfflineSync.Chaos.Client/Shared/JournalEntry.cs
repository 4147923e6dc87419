using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfflineSync.Chaos;

/// <summary>A reference a create set: the slot, the resource it points into, and the nonce of the item it pointed at.</summary>
public sealed record JournalReference(string Slot, string Resource, string Nonce);

/// <summary>
/// One line of a client's journal. The client writes an intent (<c>create?</c>, <c>update?</c>,
/// <c>delete?</c>) before a call and the call (<c>create</c>, <c>update</c>, <c>delete</c>) after it
/// returned, and each line reaches the file before the next call starts: after a SIGKILL the
/// journal holds every call that returned, and at most one call that may or may not have happened.
/// Events (<c>remapped</c>, <c>failed</c>, <c>conflict</c>) are written as they fire.
/// </summary>
public sealed record JournalEntry
{
    public required string Op { get; init; }

    public int Incarnation { get; init; }

    public string? Resource { get; init; }

    public string? Nonce { get; init; }

    /// <summary>The key the call used or returned (for a create: the item's optimistic or proposed key).</summary>
    public string? Key { get; init; }

    /// <summary>The stamp an update wrote.</summary>
    public string? Stamp { get; init; }

    /// <summary>For <c>remapped</c>: the server key the optimistic key was mapped to.</summary>
    public string? ServerKey { get; init; }

    public string? Kind { get; init; }

    public string? Error { get; init; }

    /// <summary>For <c>create?</c>: the references the created item holds, by the nonce of their targets.</summary>
    public IReadOnlyList<JournalReference>? References { get; init; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a journal; a torn last line (the process was killed while writing it) is skipped.</summary>
    /// <exception cref="InvalidDataException">A line other than the last is not an entry.</exception>
    public static List<JournalEntry> ReadAll(string path)
    {
        var entries = new List<JournalEntry>();
        if (!File.Exists(path))
        {
            return entries;
        }

        string text;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(file))
        {
            text = reader.ReadToEnd();
        }

        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                entries.Add(JsonSerializer.Deserialize<JournalEntry>(lines[i], Json)!);
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // Torn by the kill: the call it would have recorded is treated as not returned.
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Line {i + 1} of {path} is not a journal entry: {lines[i]}", e);
            }
        }

        return entries;
    }
}
