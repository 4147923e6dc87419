// Guid.CreateVersion7 arrived in .NET 9. On .NET 8 this static extension (C# 14) keeps the call sites as
// they are; it builds the same RFC 9562 layout: 48-bit Unix milliseconds, version 7, variant 10, random bits.
#if !NET9_0_OR_GREATER
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace System;

/// <summary>The .NET 9 version 7 <see cref="Guid"/> factory, for the .NET 8 build.</summary>
internal static class GuidVersion7
{
    extension(Guid)
    {
        /// <summary>Creates a version 7 <see cref="Guid"/> (time-ordered) for the current UTC time.</summary>
        public static Guid CreateVersion7() => CreateVersion7(DateTimeOffset.UtcNow);

        /// <summary>Creates a version 7 <see cref="Guid"/> (time-ordered) for <paramref name="timestamp"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is before the Unix epoch.</exception>
        public static Guid CreateVersion7(DateTimeOffset timestamp)
        {
            long milliseconds = timestamp.ToUnixTimeMilliseconds();
            ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));

            Span<byte> bytes = stackalloc byte[16];
            RandomNumberGenerator.Fill(bytes);
            Span<byte> time = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(time, milliseconds);
            time[2..].CopyTo(bytes);                       // bytes 0-5: unix_ts_ms, big-endian
            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));   // version 7
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));   // variant 10
            return new Guid(bytes, bigEndian: true);
        }
    }
}
#endif
