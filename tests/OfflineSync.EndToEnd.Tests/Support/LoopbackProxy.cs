using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// A TCP proxy on 127.0.0.1 between a client and the server that can lose a response after the
/// server has handled the request, or cut every open connection: the network failures that the
/// engine's retries and the feed's resume must survive.
/// </summary>
internal sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = new();
    private readonly Task _acceptLoop;
    private int _responsesToDrop;
    private string _dropWhenRequestContains = "";
    private int _dropped;

    public LoopbackProxy(Uri upstream)
    {
        _upstream = upstream;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The address clients use instead of the server's.</summary>
    public Uri Address { get; }

    /// <summary>How many responses were dropped so far.</summary>
    public int DroppedResponses => Volatile.Read(ref _dropped);

    /// <summary>
    /// Lets the next <paramref name="count"/> requests whose head contains <paramref name="requestMarker"/>
    /// reach the server, then closes the connection before the response gets back.
    /// </summary>
    public void DropNextResponses(int count, string requestMarker)
    {
        _dropWhenRequestContains = requestMarker;
        Volatile.Write(ref _responsesToDrop, count);
    }

    /// <summary>Closes every open connection, as a network outage would.</summary>
    public void CutAllConnections()
    {
        lock (_open)
        {
            foreach (TcpClient client in _open)
            {
                client.Client.Close(0);
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        CutAllConnections();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient downstream = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            _ = Task.Run(() => RelayAsync(downstream));
        }
    }

    private async Task RelayAsync(TcpClient downstream)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token).ConfigureAwait(false);
            Track(downstream);
            Track(upstream);
            var dropArmed = new StrongBox<bool>();
            Task up = PumpAsync(downstream.GetStream(), upstream.GetStream(), request: true, dropArmed);
            Task down = PumpAsync(upstream.GetStream(), downstream.GetStream(), request: false, dropArmed);
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            downstream.Client.Close(0);
            upstream.Client.Close(0);
            Untrack(downstream);
            Untrack(upstream);
            downstream.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool request, StrongBox<bool> dropArmed)
    {
        byte[] buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            if (request)
            {
                string head = Encoding.ASCII.GetString(buffer, 0, Math.Min(read, 512));
                if (_dropWhenRequestContains.Length > 0 && head.Contains(_dropWhenRequestContains, StringComparison.Ordinal)
                    && Interlocked.Decrement(ref _responsesToDrop) >= 0)
                {
                    dropArmed.Value = true;
                }
            }
            else if (dropArmed.Value)
            {
                // The server has handled the request; the client never hears about it.
                Interlocked.Increment(ref _dropped);
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
        }
    }

    private void Track(TcpClient client)
    {
        lock (_open)
        {
            _open.Add(client);
        }
    }

    private void Untrack(TcpClient client)
    {
        lock (_open)
        {
            _open.Remove(client);
        }
    }
}
