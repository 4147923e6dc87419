using System.Net.Http.Headers;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// Sits in a client's <see cref="HttpClient"/> and counts what it asks and what the server's answers bring: the
/// requests, the body bytes the client read, and the change-feed events (<c>event:</c> lines) among them.
/// </summary>
/// <remarks>Also linked into the benchmarks (the reconnect benchmark counts bytes and lists with it).</remarks>
internal sealed class TrafficCounter : DelegatingHandler
{
    private readonly List<string> _requests = [];
    private long _bytes;
    private long _events;

    public TrafficCounter()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>Gets the body bytes read so far, all answers together.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Gets the feed events read so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Gets the requests sent so far, as <c>METHOD /path</c>.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Starts counting from zero.</summary>
    public void Reset()
    {
        lock (_requests)
        {
            _requests.Clear();
        }

        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _events, 0);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add($"{request.Method} {request.RequestUri?.AbsolutePath}");
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        HttpContentHeaders headers = response.Content.Headers;
        var counted = new StreamContent(new CountingStream(await response.Content.ReadAsStreamAsync(cancellationToken), this));
        foreach (KeyValuePair<string, IEnumerable<string>> header in headers)
        {
            counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = counted;
        return response;
    }

    private sealed class CountingStream(Stream inner, TrafficCounter counter) : Stream
    {
        private static readonly byte[] EventLine = "\nevent:"u8.ToArray();
        private int _matched;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken);
            Count(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            Count(buffer.AsSpan(offset, read));
            return read;
        }

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
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Count(ReadOnlySpan<byte> bytes)
        {
            Interlocked.Add(ref counter._bytes, bytes.Length);

            // "\nevent:" has no repeated prefix, so a mismatch restarts the match at the current byte.
            foreach (byte b in bytes)
            {
                _matched = b == EventLine[_matched] ? _matched + 1 : b == EventLine[0] ? 1 : 0;
                if (_matched == EventLine.Length)
                {
                    Interlocked.Increment(ref counter._events);
                    _matched = 0;
                }
            }
        }
    }
}
