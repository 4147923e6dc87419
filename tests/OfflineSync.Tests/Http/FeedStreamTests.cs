using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using OfflineSync.Http;
using OfflineSync.Http.Sse;
using OfflineSync.Protocol;
using OfflineSync.Tests.View;
using OfflineSync.Tests.View.Model;

namespace OfflineSync.Tests.Http;

/// <summary>
/// The feed as the transport reads it: <see cref="SseParser"/> over <see cref="SseStreamGuard"/>, which adds the size
/// limit per event the parser lacks (and the idle timeout), measured the same however the stream is split into reads.
/// </summary>
public sealed class FeedStreamTests
{
    private const string ClientId = "client-f";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public async Task EventsSplitAcrossReadsAtAnyByte_ParseTheSame(int chunk)
    {
        // WHATWG rules: a BOM, \r\n, \r and \n line ends, comments, ids that persist, data lines joined, an unfinished last event dropped.
        const string stream = "\uFEFF: hello\r\nid: 1\r\nevent: existing\r\ndata: {\"name\":\"é€\"}\r\n\r\nid: 2\revent: removed\rdata: x\r\rdata: y\ndata: z\n\ndata: half";

        List<(string Type, string Data, string Id)> events = await ParseAsync(Split(stream, chunk), maxEventBytes: 1024);

        Assert.Equal([("existing", "{\"name\":\"é€\"}", "1"), ("removed", "x", "2"), ("message", "y\nz", "2")], events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public async Task EventOfExactlyTheLimit_IsRead_OneByteMore_EndsTheFeed(int chunk)
    {
        // The limit counts every byte of the event's lines, line ends excluded, whatever the reads.
        string atLimit = "data: " + new string('x', 94); // 100 bytes
        Assert.Single(await ParseAsync(Split($"{atLimit}\r\n\r\n", chunk), maxEventBytes: 100));

        await Assert.ThrowsAsync<InvalidDataException>(() => ParseAsync(Split($"{atLimit}x\r\n\r\n", chunk), maxEventBytes: 100));
    }

    [Fact]
    public async Task ManySmallEvents_FarMoreThanTheLimitTogether_AreRead()
    {
        // The count starts again at every blank line: the limit is per event, not per stream.
        string stream = string.Concat(Enumerable.Range(1, 200).Select(static i => $"id: {i}\nevent: added\ndata: {new string('q', 40)}\n\n"));

        List<(string Type, string Data, string Id)> events = await ParseAsync(Split(stream, 13), maxEventBytes: 100);

        Assert.Equal(200, events.Count);
        Assert.Equal("200", events[^1].Id);
    }

    [Fact]
    public async Task LineWithoutEnd_LongerThanTheLimit_EndsTheFeed_BeforeItIsBufferedWhole()
    {
        // A server that sends one endless line cannot make the client buffer it.
        var endless = new EndlessStream("data: "u8.ToArray(), (byte)'x');

        await Assert.ThrowsAsync<InvalidDataException>(() => ParseAsync(endless, maxEventBytes: 64 * 1024));

        Assert.InRange(endless.Sent, 64 * 1024, (64 * 1024) + (2 * EndlessStream.ReadSize));
    }

    [Fact]
    public async Task FeedEventLargerThanMaxEventBytes_EndsTheFeedWithHttpRequestException()
    {
        // S15: one limit for the server's largest row and the client's largest event (SyncLimits).
        string row = new('r', SyncLimits.MaxEventBytes);
        await using var server = new RawHttpServer(_ => RawHttpServer.Respond("200 OK", $"id: 1\nevent: added\ndata: {{\"key\":\"a\",\"data\":\"{row}\"}}\n\n", "Content-Type: text/event-stream"));
        using var transport = new HttpSyncTransport(server.Address);

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAllAsync(transport, 0));

        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public async Task FeedWithUnknownEventsAndFields_SkipsThem_AndReadsTheProtocolsOwn()
    {
        // Newer servers may send more; the event names come from one place (SyncEventNames).
        string body =
            "retry: 5000\n\n" +
            "id: 4\nevent: something-new\ndata: {}\n\n" +
            $"id: 5\nevent: {SyncEventNames.Added}\ndata: {{\"key\":\"a\",\"version\":\"1\",\"future\":[1],\"data\":{{\"id\":\"a\"}}}}\n\n" +
            $"id: 6\nevent: {SyncEventNames.Removed}\ndata: {{\"key\":\"a\",\"version\":\"2\"}}\n\n" +
            $"id: 7\nevent: {SyncEventNames.Invalidate}\ndata: {{}}\n\n";
        await using var server = new RawHttpServer(_ => RawHttpServer.Respond("200 OK", body, "Content-Type: text/event-stream"));
        using var transport = new HttpSyncTransport(server.Address);

        List<ChangeEvent> events = await ReadAllAsync(transport, 3);

        Assert.Equal([(ChangeKind.Added, 5L, "a"), (ChangeKind.Removed, 6L, "a"), (ChangeKind.Invalidate, 7L, null)], events.Select(static e => (e.Kind, e.Sequence, e.Key)));
        Assert.Equal("""{"id":"a"}""", Encoding.UTF8.GetString(events[0].Data.Span));
        Assert.Equal("3", server.Requests.Single().Header(SyncHeaderNames.LastEventId));
    }

    [Fact]
    public async Task FeedRefusedWithRetryAfter_CarriesTheDelay()
    {
        // S9: a server at its feed limit answers 503 + Retry-After; the follower waits that long (up to MaxDelay).
        await using var server = new RawHttpServer(_ => RawHttpServer.Respond("503 Service Unavailable", "busy", "Retry-After: 42", "Content-Type: text/plain"));
        using var transport = new HttpSyncTransport(server.Address);

        HttpRequestException error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ReadAllAsync(transport, 9));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), RetryAfterException.Find(error));
        Assert.True(TransientErrors.IsTransient(error));
    }

    [Theory] // S9: the server understood the request and refuses it; retrying as if the network were down cannot help
    [InlineData("403 Forbidden", false)]
    [InlineData("404 Not Found", false)]
    [InlineData("400 Bad Request", false)]
    [InlineData("408 Request Timeout", true)]
    [InlineData("429 Too Many Requests", true)]
    [InlineData("500 Internal Server Error", true)]
    public async Task ListAndFeedRefused_AreTransientOnlyWhenTheStatusSaysTryAgain(string status, bool transient)
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Respond(status, """{"type":"urn:offlinesync:problem:forbidden","title":"No."}""", "Content-Type: application/problem+json"));
        using var transport = new HttpSyncTransport(server.Address);

        HttpRequestException list = await Assert.ThrowsAnyAsync<HttpRequestException>(() => transport.ListAsync("todos", null, 10, ClientId, default));
        HttpRequestException feed = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ReadAllAsync(transport, 0));

        Assert.Equal((transient, transient), (TransientErrors.IsTransient(list), TransientErrors.IsTransient(feed)));
    }

    [Fact]
    public async Task ListRefusedWith403_TheSetShowsError_NotOffline()
    {
        // A row policy that refuses the user's reads: the app can tell it from a network outage.
        await using var server = new RawHttpServer(_ => RawHttpServer.Respond("403 Forbidden", """{"type":"urn:offlinesync:problem:forbidden","title":"Forbidden","detail":"Not yours."}""", "Content-Type: application/problem+json"));
        using var transport = new HttpSyncTransport(server.Address);
        var view = new LocalView<ViewTodo>(ViewFixtures.ClientId);
        FeedFollower<ViewTodo> follower = Followers.Create(transport, view, TimeProvider.System);

        follower.Start();
        await Poll.Until(() => view.Status == SyncSetStatus.Error, "the set shows the refusal");
        await follower.StopAsync();

        Assert.Empty(view.Items);
    }

    private static async Task<List<ChangeEvent>> ReadAllAsync(HttpSyncTransport transport, long after)
    {
        var events = new List<ChangeEvent>();
        await foreach (ChangeEvent change in transport.FollowAsync("todos", after, ClientId, default))
        {
            events.Add(change);
        }

        return events;
    }

    private static async Task<List<(string Type, string Data, string Id)>> ParseAsync(Stream source, int maxEventBytes)
    {
        var events = new List<(string, string, string)>();
        SseParser<string> parser = SseParser.Create(new SseStreamGuard(source, Timeout.InfiniteTimeSpan, maxEventBytes), static (_, data) => Encoding.UTF8.GetString(data));
        await foreach (SseItem<string> item in parser.EnumerateAsync())
        {
            events.Add((item.EventType, item.Data, parser.LastEventId));
        }

        return events;
    }

    private static ChunkedStream Split(string text, int chunk)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var pieces = new List<byte[]>();
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            pieces.Add(bytes[i..Math.Min(bytes.Length, i + Math.Min(chunk, bytes.Length))]);
        }

        return new ChunkedStream(pieces);
    }

    /// <summary>Returns exactly one piece per read, like a network stream delivering packets.</summary>
    private sealed class ChunkedStream(List<byte[]> pieces) : ReadOnlyStream
    {
        private int _next;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_next == pieces.Count)
            {
                return 0;
            }

            byte[] piece = pieces[_next];
            if (piece.Length > count)
            {
                // The reader asked for less: hand over the front and keep the rest for the next read.
                pieces[_next] = piece[count..];
                piece = piece[..count];
            }
            else
            {
                _next++;
            }

            piece.CopyTo(buffer, offset);
            return piece.Length;
        }
    }

    /// <summary>A prefix, then the same byte for ever, counting what it sent.</summary>
    private sealed class EndlessStream(byte[] prefix, byte fill) : ReadOnlyStream
    {
        public const int ReadSize = 4096;

        public long Sent { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            count = Math.Min(count, ReadSize);
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = Sent + i < prefix.Length ? prefix[Sent + i] : fill;
            }

            Sent += count;
            return count;
        }
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
