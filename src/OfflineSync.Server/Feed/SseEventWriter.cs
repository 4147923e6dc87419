using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OfflineSync.Protocol;

namespace OfflineSync.Server.Feed;

/// <summary>
/// Formats change-feed events as Server-Sent Events into a reusable buffer:
/// <c>id: {seq}</c>, <c>event: {kind}</c>, one <c>data:</c> line of compact JSON, a blank line.
/// </summary>
internal sealed class SseEventWriter : IDisposable
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;

    public SseEventWriter() => _json = new Utf8JsonWriter(_buffer);

    public int PendingBytes => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> Pending => _buffer.WrittenMemory;

    public void Clear() => _buffer.ResetWrittenCount();

    public void WriteComment(string text)
    {
        Append(": ");
        Append(text);
        Append("\n\n");
    }

    public void WriteHeartbeat() => _buffer.Write(Heartbeat);

    /// <summary>Writes one event; <paramref name="origin"/> is written only when the reader created the row, with <paramref name="originClientId"/> beside it.</summary>
    public void WriteEvent(long sequence, string kind, string? key, string? origin, string? originClientId, long? version, byte[]? data)
    {
        Append("id: ");
        Span<byte> digits = _buffer.GetSpan(20);
        Utf8Formatter.TryFormat(sequence, digits, out int written);
        _buffer.Advance(written);
        Append("\nevent: ");
        Append(kind);
        Append("\ndata: ");
        _json.Reset(_buffer);
        _json.WriteStartObject();
        if (key is not null)
        {
            _json.WriteString("key", key);
            if (origin is not null)
            {
                _json.WriteString(SyncFieldNames.OriginOptimisticKey, origin);
                _json.WriteString(SyncFieldNames.OriginClientId, originClientId);
            }
        }

        if (version is long v)
        {
            _json.WriteString("version", v.ToString(CultureInfo.InvariantCulture));
        }

        if (data is not null)
        {
            _json.WritePropertyName("data");
            _json.WriteRawValue(data, skipInputValidation: true);
        }

        _json.WriteEndObject();
        _json.Flush();
        Append("\n\n");
    }

    public void Dispose() => _json.Dispose();

    private void Append(string ascii)
    {
        Span<byte> span = _buffer.GetSpan(ascii.Length);
        int count = Encoding.UTF8.GetBytes(ascii, span);
        _buffer.Advance(count);
    }
}
