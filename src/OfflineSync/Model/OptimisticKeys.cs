using System.ComponentModel;
using System.Security.Cryptography;

namespace OfflineSync;

/// <summary>Makes and recognizes optimistic keys: keys a client gives an item before the server has confirmed it.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="string"/>: <c>optimistic_</c> followed by a ULID (48-bit timestamp, 80 random bits, Crockford base 32), so keys sort by creation time.</item>
/// <item><see cref="Guid"/>: <see cref="Guid.CreateVersion7()"/>; it is a proposal the server may keep, so it never looks optimistic.</item>
/// <item><see cref="long"/>/<see cref="int"/>: negative numbers from a counter the mutation store persists, never reused.</item>
/// </list>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptimisticKeys
{
    /// <summary>The prefix of optimistic string keys.</summary>
    public const string StringPrefix = "optimistic_";

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int UlidLength = 26;

    /// <summary>Creates a new optimistic string key.</summary>
    public static string NewString() => NewString(TimeProvider.System);

    /// <summary>Creates a new optimistic string key whose time part comes from <paramref name="timeProvider"/>.</summary>
    public static string NewString(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        long milliseconds = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        return string.Create(StringPrefix.Length + UlidLength, (milliseconds, Random: ToUInt128(random)), static (span, state) =>
        {
            StringPrefix.AsSpan().CopyTo(span);
            Span<char> ulid = span[StringPrefix.Length..];
            long time = state.milliseconds;
            for (int i = 9; i >= 0; i--)
            {
                ulid[i] = Crockford[(int)(time & 31)];
                time >>= 5;
            }

            UInt128 random = state.Random;
            for (int i = UlidLength - 1; i >= 10; i--)
            {
                ulid[i] = Crockford[(int)(random & 31)];
                random >>= 5;
            }
        });
    }

    /// <summary>Creates a new proposed <see cref="Guid"/> key (version 7, time-ordered).</summary>
    public static Guid NewGuid(TimeProvider timeProvider) => Guid.CreateVersion7(timeProvider.GetUtcNow());

    /// <summary>Turns the <paramref name="counter"/>-th number handed out by a store (1, 2, 3, …) into an optimistic numeric key (-1, -2, -3, …).</summary>
    public static long FromCounter(long counter) =>
        counter > 0 ? -counter : throw new ArgumentOutOfRangeException(nameof(counter), counter, "Optimistic counters start at 1.");

    /// <summary>Returns whether <paramref name="key"/>, in canonical string form, is an optimistic key of kind <paramref name="kind"/>.</summary>
    public static bool IsOptimistic(SyncKeyKind kind, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return kind switch
        {
            SyncKeyKind.String => key.StartsWith(StringPrefix, StringComparison.Ordinal),
            SyncKeyKind.Int64 or SyncKeyKind.Int32 => key.Length > 1 && key[0] == '-',
            _ => false,
        };
    }

    private static UInt128 ToUInt128(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
