using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace OfflineSync.Http.Sse;

/// <summary>
/// Parses a <c>text/event-stream</c> incrementally, as the WHATWG rules say: lines end in
/// <c>\r\n</c>, <c>\n</c> or <c>\r</c>; a blank line dispatches the event; <c>:</c> starts a
/// comment; <c>data</c> lines are joined with <c>\n</c>; <c>id</c> persists; an unfinished event at
/// the end of the stream is dropped. Only the current line and event are buffered, never the stream.
/// A stream that stays silent longer than the idle timeout (not even a heartbeat comment) is taken
/// for a dead connection.
/// </summary>
internal sealed class SseParser
{
    private const int MinRead = 4096;
    private readonly Stream _stream;
    private readonly int _maxEventBytes;
    private readonly TimeSpan _idleTimeout;
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _bomChecked;
    private string? _eventType;
    private bool _hasData;

    /// <summary>Creates a parser over <paramref name="stream"/>.</summary>
    /// <param name="stream">The response stream.</param>
    /// <param name="maxEventBytes">The largest line or event accepted; a larger one fails with <see cref="InvalidDataException"/>.</param>
    /// <param name="idleTimeout">How long a read may wait for bytes before the stream counts as dead; <see cref="Timeout.InfiniteTimeSpan"/> (the default) waits forever.</param>
    public SseParser(Stream stream, int maxEventBytes = 16 * 1024 * 1024, TimeSpan? idleTimeout = null)
    {
        _stream = stream;
        _maxEventBytes = maxEventBytes;
        _idleTimeout = idleTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Gets the last event id seen (the value to send as <c>Last-Event-ID</c> on reconnect).</summary>
    public string? LastEventId { get; private set; }

    /// <summary>Gets the reconnection time the server asked for with a <c>retry</c> field.</summary>
    public TimeSpan? Retry { get; private set; }

    /// <summary>Gets how many comment lines (heartbeats) were read.</summary>
    public long Comments { get; private set; }

    /// <summary>Reads events until the stream ends.</summary>
    /// <exception cref="InvalidDataException">A line or event exceeds the size limit.</exception>
    /// <exception cref="TimeoutException">No byte arrived within the idle timeout.</exception>
    public async IAsyncEnumerable<SseEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            while (TryReadLine(out int lineStart, out int lineLength))
            {
                if (ProcessLine(_buffer.AsSpan(lineStart, lineLength), out SseEvent dispatched))
                {
                    yield return dispatched;
                }
            }

            if (_eof)
            {
                yield break; // An event without its blank line is incomplete: dropped, as the spec says.
            }

            await FillAsync(idle, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryReadLine(out int lineStart, out int lineLength)
    {
        ReadOnlySpan<byte> pending = _buffer.AsSpan(_start, _end - _start);
        if (!_bomChecked)
        {
            if (pending.Length < 3 && !_eof && "\uFEFF"u8.StartsWith(pending))
            {
                lineStart = lineLength = 0;
                return false; // Could still be a BOM: wait for more bytes.
            }

            _bomChecked = true;
            if (pending.StartsWith("\uFEFF"u8))
            {
                _start += 3;
                pending = pending[3..];
            }
        }

        int index = pending.IndexOfAny((byte)'\r', (byte)'\n');
        if (index < 0)
        {
            if (pending.Length > _maxEventBytes)
            {
                throw new InvalidDataException($"A Server-Sent Events line exceeds {_maxEventBytes} bytes.");
            }

            lineStart = lineLength = 0;
            return false;
        }

        int terminator = 1;
        if (pending[index] == '\r')
        {
            if (index + 1 == pending.Length && !_eof)
            {
                lineStart = lineLength = 0;
                return false; // "\r" at the end of the buffer may be the first half of "\r\n".
            }

            if (index + 1 < pending.Length && pending[index + 1] == '\n')
            {
                terminator = 2;
            }
        }

        lineStart = _start;
        lineLength = index;
        _start += index + terminator;
        return true;
    }

    private bool ProcessLine(ReadOnlySpan<byte> line, out SseEvent dispatched)
    {
        dispatched = default;
        if (line.IsEmpty)
        {
            if (!_hasData)
            {
                _eventType = null;
                return false;
            }

            ReadOnlySpan<byte> data = _data.WrittenSpan;
            dispatched = new SseEvent(_eventType ?? "message", data[..^1].ToArray(), LastEventId);
            _data.ResetWrittenCount();
            _hasData = false;
            _eventType = null;
            return true;
        }

        if (line[0] == ':')
        {
            Comments++;
            return false;
        }

        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field = colon < 0 ? line : line[..colon];
        ReadOnlySpan<byte> value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == ' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (_data.WrittenCount + value.Length > _maxEventBytes)
            {
                throw new InvalidDataException($"A Server-Sent Event exceeds {_maxEventBytes} bytes.");
            }

            _data.Write(value);
            _data.Write("\n"u8);
            _hasData = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventType = Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual("id"u8))
        {
            if (value.IndexOf((byte)0) < 0)
            {
                LastEventId = Encoding.UTF8.GetString(value);
            }
        }
        else if (field.SequenceEqual("retry"u8))
        {
            if (long.TryParse(Encoding.UTF8.GetString(value), NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds))
            {
                Retry = TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        return false;
    }

    private async ValueTask FillAsync(CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            // Keep the unfinished line at the front of the buffer.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length - _end < MinRead)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read;
        try
        {
            // Restarts the timer: every read, a heartbeat's included, proves the connection alive.
            idle.CancelAfter(_idleTimeout);
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The event stream sent nothing, not even a heartbeat, for {_idleTimeout.TotalSeconds:0.###} s: the connection is taken for dead."), e);
        }

        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
