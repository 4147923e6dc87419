using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OfflineSync.Tests.Http;

/// <summary>
/// A loopback HTTP/1.1 server that does exactly what a test says with each connection: write an answer of its
/// choosing (any bytes, as slowly or as long as it likes) or reset the connection. It records every request, so a
/// test sees the headers the transport sent. One request per connection (<c>Connection: close</c>).
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawRequest, Func<Stream, CancellationToken, Task>?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RawRequest> _requests = [];
    private readonly Task _loop;

    /// <param name="answer">Makes the answer to a request: a writer of the raw response, or <see langword="null"/> to reset the connection.</param>
    public RawHttpServer(Func<RawRequest, Func<Stream, CancellationToken, Task>?> answer)
    {
        _answer = answer;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Address { get; }

    public IReadOnlyList<RawRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>An answer with a status line, headers and a body, as bytes.</summary>
    public static Func<Stream, CancellationToken, Task> Respond(string statusLine, string body, params string[] headers) =>
        async (stream, cancellationToken) =>
        {
            byte[] content = Encoding.UTF8.GetBytes(body);
            var head = new StringBuilder().Append("HTTP/1.1 ").Append(statusLine).Append("\r\n");
            foreach (string header in headers)
            {
                head.Append(header).Append("\r\n");
            }

            head.Append("Content-Length: ").Append(content.Length).Append("\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
            await stream.WriteAsync(content, cancellationToken);
        };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            try
            {
                RawRequest request = await ReadRequestAsync(stream, _stop.Token);
                lock (_requests)
                {
                    _requests.Add(request);
                }

                if (_answer(request) is not { } write)
                {
                    // A reset, not a close: the client sees ECONNRESET.
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                }

                await write(stream, _stop.Token);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client hung up (a transport that stopped reading at its limit does).
            }
        }
    }

    private static async Task<RawRequest> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            int read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The client closed before its request head ended.");
            }

            buffer.Write(chunk, 0, read);
        }

        string head = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headEnd);
        int length = 0;
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        while (buffer.Length < headEnd + 4 + length)
        {
            int read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return new RawRequest(head, Encoding.UTF8.GetString(buffer.GetBuffer(), headEnd + 4, (int)buffer.Length - headEnd - 4));
    }

    private static int IndexOfHeadEnd(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
}

/// <summary>A request as the server read it: the request line and headers, and the body.</summary>
internal sealed record RawRequest(string Head, string Body)
{
    public string RequestLine => Head[..Head.IndexOf("\r\n", StringComparison.Ordinal)];

    /// <summary>Gets the value of a header, or <see langword="null"/>.</summary>
    public string? Header(string name)
    {
        foreach (string line in Head.Split("\r\n").Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
