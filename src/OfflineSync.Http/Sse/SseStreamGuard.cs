using System.Globalization;

namespace OfflineSync.Http.Sse;

/// <summary>
/// Reads a <c>text/event-stream</c> for <see cref="System.Net.ServerSentEvents.SseParser"/> and adds the two bounds the
/// parser lacks: a read that waits longer than the idle timeout (not even a heartbeat comment arrived) fails with a
/// <see cref="TimeoutException"/>, because a dead connection may never tell the socket; and an event longer than the
/// size limit fails with an <see cref="InvalidDataException"/> before the parser has buffered it whole.
/// </summary>
/// <remarks>
/// An event is what lies between two blank lines (the WHATWG rules: lines end in <c>\r\n</c>, <c>\n</c> or <c>\r</c>);
/// its size counts every byte of its lines, comments and field names included, line ends excluded. The state carries
/// over from one read to the next, so an event split across reads at any byte is measured the same.
/// </remarks>
internal sealed class SseStreamGuard : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly int _maxEventBytes;
    private long _eventBytes;
    private bool _lineEmpty = true;
    private bool _afterCarriageReturn;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The response stream; disposed with the guard.</param>
    /// <param name="idleTimeout">How long one read may wait for bytes; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="maxEventBytes">The largest event accepted.</param>
    public SseStreamGuard(Stream inner, TimeSpan idleTimeout, int maxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1);
        _inner = inner;
        _idleTimeout = idleTimeout;
        _maxEventBytes = maxEventBytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (_idleTimeout == Timeout.InfiniteTimeSpan)
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Restarted on every read: any byte, a heartbeat's included, proves the connection alive.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(_idleTimeout);
            try
            {
                read = await _inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The event stream sent nothing, not even a heartbeat, for {_idleTimeout.TotalSeconds:0.###} s: the connection is taken for dead."), e);
            }
        }

        Measure(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The event stream is read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Measure(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_afterCarriageReturn)
            {
                // "\r\n" is one line end, even when a read ends between the two.
                _afterCarriageReturn = false;
                if (bytes[0] == '\n')
                {
                    bytes = bytes[1..];
                    continue;
                }
            }

            int end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            int content = end < 0 ? bytes.Length : end;
            if (content > 0)
            {
                _eventBytes += content;
                _lineEmpty = false;
                if (_eventBytes > _maxEventBytes)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"A Server-Sent Event of the change feed exceeds {_maxEventBytes} bytes; the feed is ended rather than the event buffered without bound."));
                }
            }

            if (end < 0)
            {
                return;
            }

            if (_lineEmpty)
            {
                _eventBytes = 0; // A blank line ends the event.
            }

            _lineEmpty = true;
            _afterCarriageReturn = bytes[end] == '\r';
            bytes = bytes[(end + 1)..];
        }
    }
}
