using System.Text;
using OfflineSync.Http.Sse;

namespace OfflineSync.Server.Tests;

public sealed class SseParserTests
{
    [Fact]
    public async Task Event_WithIdTypeAndData_Dispatched()
    {
        List<SseEvent> events = await ParseAsync("id: 7\nevent: added\ndata: {\"a\":1}\n\n");

        SseEvent e = Assert.Single(events);
        Assert.Equal(("added", "{\"a\":1}", "7"), (e.Type, Text(e), e.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Events_SplitAcrossReadsAtAnyByte_SameResult(int chunk)
    {
        const string stream = "\uFEFF: hello\r\nid: 1\r\nevent: existing\r\ndata: {\"name\":\"é€\"}\r\n\r\nid: 2\revent: removed\rdata: x\r\rdata: y\ndata: z\n\n";

        List<SseEvent> events = await ParseAsync(stream, chunk);

        Assert.Equal(
            [("existing", "{\"name\":\"é€\"}", "1"), ("removed", "x", "2"), ("message", "y\nz", "2")],
            events.Select(e => (e.Type, Text(e), e.Id)));
    }

    [Fact]
    public async Task CrLfSplitBetweenReads_NotAnEmptyLine()
    {
        // "\r" at the end of one read and "\n" at the start of the next is one line end, not two.
        List<SseEvent> events = await ParseAsync(new[] { "data: a\r", "\ndata: b\r", "\n\r", "\n" });

        Assert.Equal("a\nb", Text(Assert.Single(events)));
    }

    [Fact]
    public async Task Comments_CountedAndIgnored()
    {
        var parser = new SseParser(new MemoryStream(Encoding.UTF8.GetBytes(": heartbeat\n\n: heartbeat\n\ndata: x\n\n")));

        List<SseEvent> events = await ToListAsync(parser);

        Assert.Single(events);
        Assert.Equal(2, parser.Comments);
    }

    [Fact]
    public async Task Id_PersistsAcrossEvents_RetryParsed()
    {
        var parser = new SseParser(new MemoryStream(Encoding.UTF8.GetBytes("retry: 1500\nid: 9\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")));

        List<SseEvent> events = await ToListAsync(parser);

        Assert.Equal(["9", "9", ""], events.Select(e => e.Id));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), parser.Retry);
    }

    [Fact]
    public async Task UnfinishedEventAtEndOfStream_Dropped()
    {
        List<SseEvent> events = await ParseAsync("data: complete\n\ndata: half");

        Assert.Equal(["complete"], events.Select(Text));
    }

    [Fact]
    public async Task FieldsWithoutSpaceOrValue_FollowTheSpec()
    {
        List<SseEvent> events = await ParseAsync("event:x\ndata:no-space\ndata\nunknown: ignored\n\nevent: only-type\n\n");

        SseEvent e = Assert.Single(events); // an event without data is not dispatched
        Assert.Equal(("x", "no-space\n"), (e.Type, Text(e)));
    }

    [Fact]
    public async Task LineLongerThanLimit_InvalidData()
    {
        var parser = new SseParser(new MemoryStream(Encoding.UTF8.GetBytes("data: " + new string('x', 5000))), maxEventBytes: 1024);

        await Assert.ThrowsAsync<InvalidDataException>(() => ToListAsync(parser));
    }

    [Fact]
    public async Task LargeEvent_GrowsBufferAcrossManyReads()
    {
        string big = new('q', 100_000);

        List<SseEvent> events = await ParseAsync($"data: {big}\n\n", chunk: 4093);

        Assert.Equal(big, Text(Assert.Single(events)));
    }

    private static string Text(SseEvent e) => Encoding.UTF8.GetString(e.Data);

    private static Task<List<SseEvent>> ParseAsync(string text, int chunk = int.MaxValue)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var pieces = new List<byte[]>();
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            pieces.Add(bytes[i..Math.Min(bytes.Length, i + chunk)]);
        }

        return ToListAsync(new SseParser(new ChunkedStream(pieces)));
    }

    private static Task<List<SseEvent>> ParseAsync(string[] reads) =>
        ToListAsync(new SseParser(new ChunkedStream(reads.Select(Encoding.UTF8.GetBytes).ToList())));

    private static async Task<List<SseEvent>> ToListAsync(SseParser parser)
    {
        var events = new List<SseEvent>();
        await foreach (SseEvent e in parser.ReadAsync())
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Returns exactly one piece per read, like a network stream delivering packets.</summary>
    private sealed class ChunkedStream(List<byte[]> pieces) : Stream
    {
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_next == pieces.Count)
            {
                return 0;
            }

            byte[] piece = pieces[_next++];
            if (piece.Length > buffer.Length)
            {
                throw new InvalidOperationException("The parser offered less room than one piece.");
            }

            piece.CopyTo(buffer);
            return piece.Length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
