using System.Net.Sockets;
using System.Text;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>Bytes over a plain socket to a loopback server: requests no HTTP client library would send.</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and reads the answer until the server closes the connection or <paramref name="timeout"/> passes.</summary>
    public static async Task<string> ExchangeAsync(Uri server, string request, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var answer = new MemoryStream();
        byte[] buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (IsComplete(answer))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }

    /// <summary>Opens a connection, sends <paramref name="partialRequest"/> and closes the socket at once: a client hanging up mid-upload.</summary>
    public static async Task HangUpAfterAsync(Uri server, string partialRequest)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(partialRequest));
        await stream.FlushAsync();
        await Task.Delay(100); // let the server start reading the body
        client.Client.LingerState = new LingerOption(true, 0); // a reset, as a killed process leaves it
        client.Close();
    }

    private static bool IsComplete(MemoryStream answer)
    {
        string text = Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        const string header = "content-length:";
        int at = text.IndexOf(header, StringComparison.OrdinalIgnoreCase);
        if (at < 0 || at > end)
        {
            return false;
        }

        int lineEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
        int length = int.Parse(text.AsSpan(at + header.Length, lineEnd - at - header.Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetByteCount(text.AsSpan(end + 4)) >= length;
    }
}
