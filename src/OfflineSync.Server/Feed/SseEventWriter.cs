using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using OfflineSync.Protocol;
using OfflineSync.Server.Json;

namespace OfflineSync.Server.Feed;

/// <summary>
/// Writes change-feed events as Server-Sent Events straight into the response: <c>id: {seq}</c>, <c>event: {kind}</c>,
/// one <c>data:</c> line of compact JSON, a blank line. What is written waits in the response pipe until
/// <see cref="FlushAsync"/>, which sends it and waits while the client is behind (the pipe's backpressure), so a feed
/// holds at most <see cref="Json.StreamedJson.FlushThreshold"/> plus one event beyond the page it sends.
/// </summary>
internal sealed class SseEventWriter : IDisposable
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();
    private readonly PipeWriter _output;
    private readonly Utf8JsonWriter _json;
    private long _unflushed;

    public SseEventWriter(PipeWriter output)
    {
        _output = output;
        _json = new Utf8JsonWriter(output, ServerJson.WriterOptions);
    }

    /// <summary>Gets whether enough was written to send it now.</summary>
    public bool FlushDue => _unflushed >= Json.StreamedJson.FlushThreshold;

    public void WriteComment(string text)
    {
        Append(": ");
        Append(text);
        Append("\n\n");
    }

    public void WriteHeartbeat()
    {
        _output.Write(Heartbeat);
        _unflushed += Heartbeat.Length;
    }

    /// <summary>Writes one event; <paramref name="origin"/> is written only when the reader created the row, with <paramref name="originClientId"/> beside it.</summary>
    public void WriteEvent(long sequence, string kind, string? key, string? origin, string? originClientId, long? version, byte[]? data)
    {
        Append("id: ");
        Span<byte> digits = _output.GetSpan(20);
        Utf8Formatter.TryFormat(sequence, digits, out int written);
        _output.Advance(written);
        _unflushed += written;
        Append("\nevent: ");
        Append(kind);
        Append("\ndata: ");
        _json.Reset(_output);
        _json.WriteStartObject();
        if (key is not null)
        {
            _json.WriteString(SyncFieldNames.Key, key);
            if (origin is not null)
            {
                _json.WriteString(SyncFieldNames.OriginOptimisticKey, origin);
                _json.WriteString(SyncFieldNames.OriginClientId, originClientId);
            }
        }

        if (version is long v)
        {
            _json.WriteString(SyncFieldNames.Version, v.ToString(CultureInfo.InvariantCulture));
        }

        if (data is not null)
        {
            _json.WritePropertyName(SyncFieldNames.Data);
            _json.WriteRawValue(data, skipInputValidation: true);
        }

        _json.WriteEndObject();
        _json.Flush();
        _unflushed += _json.BytesCommitted;
        Append("\n\n");
    }

    /// <summary>Sends what was written; waits while the client has not read what was sent before.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _unflushed = 0;
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _json.Dispose();

    private void Append(string ascii)
    {
        Span<byte> span = _output.GetSpan(ascii.Length);
        int count = Encoding.UTF8.GetBytes(ascii, span);
        _output.Advance(count);
        _unflushed += count;
    }
}
