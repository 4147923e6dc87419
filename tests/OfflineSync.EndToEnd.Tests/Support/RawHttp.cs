using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>An answer read off the socket.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public override string ToString() => $"HTTP {Status} {Header("Content-Type")} {Text[..Math.Min(Text.Length, 300)]}";
}

/// <summary>
/// HTTP/1.1 written byte by byte over a socket: a hostile client sends what <see cref="HttpClient"/>
/// refuses to (raw non-ASCII header bytes, any path, any content type).
/// </summary>
internal static class RawHttp
{
    /// <summary>Builds a request; <c>Host</c>, <c>Content-Length</c> and <c>Connection: close</c> are added.</summary>
    /// <param name="method">The method.</param>
    /// <param name="target">The request target, already escaped as it should go on the wire.</param>
    /// <param name="headers">The headers; values are sent as their UTF-8 bytes, unchecked.</param>
    /// <param name="body">The body, or <see langword="null"/>.</param>
    public static byte[] Request(string method, string target, IEnumerable<(string Name, string Value)> headers, byte[]? body = null)
    {
        var request = new MemoryStream();
        void Line(string text) => request.Write(Encoding.UTF8.GetBytes(text + "\r\n"));
        Line($"{method} {target} HTTP/1.1");
        Line("Host: 127.0.0.1");
        foreach ((string name, string value) in headers)
        {
            Line($"{name}: {value}");
        }

        if (body is not null)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}"));
        }

        Line("Connection: close");
        Line("");
        if (body is not null)
        {
            request.Write(body);
        }

        return request.ToArray();
    }

    public static async Task<RawResponse> SendAsync(Uri server, byte[] request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(request, timeout.Token);
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // The server answered and reset the connection (it refused the rest of the request).
        }

        return Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] raw)
    {
        int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidDataException($"No HTTP answer head in {raw.Length} bytes: {Encoding.UTF8.GetString(raw)}");
        }

        string[] head = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        int status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in head.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body = raw[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new MemoryStream();
        int position = 0;
        while (position < chunked.Length)
        {
            int lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            string sizeText = Encoding.ASCII.GetString(chunked, position, lineEnd).Split(';')[0];
            int size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            position += lineEnd + 2;
            if (size == 0)
            {
                break;
            }

            body.Write(chunked, position, Math.Min(size, chunked.Length - position));
            position += size + 2;
        }

        return body.ToArray();
    }
}
