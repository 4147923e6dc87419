using System.Text.Json;

namespace OfflineSync;

/// <summary>
/// Finds and rewrites the values of a queued payload that hold keys of creates still queued (S3, S12–S14). They are
/// found once, when the mutation is queued or restored; once such a create has left the queue, its server key is
/// written into the request body as the batch is built, at the recorded offsets: confirming a create costs work in
/// what references it, and no stored payload is read again.
/// </summary>
/// <remarks>
/// A value is recorded only when the payload holds a key exactly as many times as the generated visitor found it
/// in reference slots, so every value holding it is a slot: a look-alike elsewhere (S14) makes the key
/// <em>unlocated</em>, and such a mutation is remapped through its typed form instead.
/// </remarks>
internal static class PayloadSlots
{
    /// <summary>Finds the values holding <paramref name="held"/> keys.</summary>
    /// <param name="json">The payload.</param>
    /// <param name="held">The keys, with the number of slots holding each.</param>
    /// <param name="slots">The values found, in payload order; <see langword="null"/> when the result is not exact.</param>
    /// <returns>Whether every key was found in exactly as many values as slots hold it.</returns>
    public static bool Locate(ReadOnlySpan<byte> json, List<HeldKey> held, out KeySlot[]? slots)
    {
        slots = null;
        int expected = 0;
        foreach (HeldKey key in held)
        {
            expected += key.Slots;
        }

        var found = new KeySlot[expected];
        int count = 0;
        Span<int> perKey = held.Count <= 32 ? stackalloc int[held.Count] : new int[held.Count];
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                {
                    continue;
                }

                for (int i = 0; i < held.Count; i++)
                {
                    HeldKey key = held[i];
                    if (!Holds(ref reader, key.Text))
                    {
                        continue;
                    }

                    if (++perKey[i] > key.Slots)
                    {
                        // More values hold the key than slots do: a look-alike outside the slots.
                        return false;
                    }

                    bool quoted = reader.TokenType == JsonTokenType.String;
                    found[count++] = new KeySlot((int)reader.TokenStartIndex, reader.ValueSpan.Length + (quoted ? 2 : 0), quoted, (object?)key.Create ?? key.Server!);

                    // Two creates of different resources may share a key text (numeric keys): the value counts for the
                    // first, the second falls short, and the result is not exact.
                    break;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        for (int i = 0; i < held.Count; i++)
        {
            if (perKey[i] != held[i].Slots)
            {
                return false;
            }
        }

        slots = found;
        return true;
    }

    /// <summary>
    /// Writes the server keys of the slots' creates that left the queue. Returns the payload to send; the slots of
    /// creates still queued come back in <paramref name="remaining"/>, moved to their offsets in it.
    /// </summary>
    public static ReadOnlyMemory<byte> Settle(ReadOnlyMemory<byte> payload, KeySlot[] slots, IdMap? map, out KeySlot[]? remaining)
    {
        int length = payload.Length;
        int settled = 0;
        bool changed = false;
        ReadOnlySpan<byte> json = payload.Span;
        foreach (KeySlot slot in slots)
        {
            if (!slot.Settled)
            {
                continue;
            }

            settled++;
            if (ServerKey(slot, map, json) is { } server)
            {
                length += Encoded(server, slot.Quoted) - slot.Length;
                changed = true;
            }
        }

        if (settled == 0)
        {
            remaining = slots;
            return payload;
        }

        remaining = settled == slots.Length ? null : new KeySlot[slots.Length - settled];
        if (!changed)
        {
            if (remaining is not null)
            {
                int kept = 0;
                foreach (KeySlot slot in slots)
                {
                    if (!slot.Settled)
                    {
                        remaining[kept++] = slot;
                    }
                }
            }

            return payload;
        }

        var body = new byte[length];
        Write(json, slots, map, body, remaining);
        return body;
    }

    /// <summary>The number of bytes <see cref="Settle"/> writes: what a caller writing into its own buffer needs.</summary>
    public static int SettledLength(ReadOnlySpan<byte> json, KeySlot[] slots, IdMap? map)
    {
        int length = json.Length;
        foreach (KeySlot slot in slots)
        {
            if (slot.Settled && ServerKey(slot, map, json) is { } server)
            {
                length += Encoded(server, slot.Quoted) - slot.Length;
            }
        }

        return length;
    }

    /// <summary>Writes the payload with the server keys of the settled slots into <paramref name="destination"/> (<see cref="SettledLength"/> bytes).</summary>
    public static void Write(ReadOnlySpan<byte> json, KeySlot[] slots, IdMap? map, Span<byte> destination, KeySlot[]? remaining = null)
    {
        int read = 0;
        int written = 0;
        int kept = 0;
        foreach (KeySlot slot in slots)
        {
            ReadOnlySpan<byte> before = json[read..slot.Start];
            before.CopyTo(destination[written..]);
            written += before.Length;
            read = slot.Start + slot.Length;
            if (!slot.Settled)
            {
                if (remaining is not null)
                {
                    remaining[kept++] = slot with { Start = written };
                }

                json.Slice(slot.Start, slot.Length).CopyTo(destination[written..]);
                written += slot.Length;
            }
            else if (ServerKey(slot, map, json) is { } server)
            {
                written += WriteKey(server, slot.Quoted, destination[written..]);
            }
            else
            {
                json.Slice(slot.Start, slot.Length).CopyTo(destination[written..]);
                written += slot.Length;
            }
        }

        json[read..].CopyTo(destination[written..]);
    }

    /// <summary>Whether the current string or number token holds <paramref name="text"/>.</summary>
    private static bool Holds(ref Utf8JsonReader reader, string text)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueTextEquals(text);
        }

        return AsciiEquals(reader.ValueSpan, text);
    }

    /// <summary>The server key to write into a settled slot, or <see langword="null"/> to keep what it holds.</summary>
    private static string? ServerKey(in KeySlot slot, IdMap? map, ReadOnlySpan<byte> json)
    {
        string? server = slot.Server;
        if (slot.Create is { } create && (map is null || !map.TryResolve(create.Resource.TypeId, create.Key, out server)))
        {
            // Discarded, failed, or kept by the server: the key stays as queued.
            return null;
        }

        if (server is null)
        {
            return null;
        }

        // The slot may hold the server key already (queued after the feed revealed the mapping).
        ReadOnlySpan<byte> value = slot.Quoted ? json.Slice(slot.Start + 1, slot.Length - 2) : json.Slice(slot.Start, slot.Length);
        return AsciiEquals(value, server) ? null : server;
    }

    /// <summary>Whether raw JSON bytes spell <paramref name="key"/> (number digits, or a string value as written).</summary>
    private static bool AsciiEquals(ReadOnlySpan<byte> value, string key)
    {
        if (value.Length != key.Length)
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != key[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The encoded length of a server key: printable ASCII (checked before it was mapped), <c>"</c> and <c>\</c> escaped.</summary>
    private static int Encoded(string key, bool quoted)
    {
        int length = key.Length + (quoted ? 2 : 0);
        if (quoted)
        {
            foreach (char c in key)
            {
                if (c is '"' or '\\')
                {
                    length++;
                }
            }
        }

        return length;
    }

    private static int WriteKey(string key, bool quoted, Span<byte> destination)
    {
        int written = 0;
        if (quoted)
        {
            destination[written++] = (byte)'"';
        }

        foreach (char c in key)
        {
            if (quoted && c is '"' or '\\')
            {
                destination[written++] = (byte)'\\';
            }

            destination[written++] = (byte)c;
        }

        if (quoted)
        {
            destination[written++] = (byte)'"';
        }

        return written;
    }
}
