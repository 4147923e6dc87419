using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OfflineSync.Chaos.Tests.Support;

/// <summary>What the proxy does to one connection.</summary>
internal enum Fault
{
    /// <summary>Relays faithfully.</summary>
    None,

    /// <summary>Holds every chunk, both ways, for 20 to 300 ms.</summary>
    Delay,

    /// <summary>Relays part of the first request chunk, then resets both sides: the request may or may not have been read.</summary>
    Reset,

    /// <summary>Relays the first write (POST, PATCH, DELETE) to the server, then resets the client's side when the answer comes: applied, never answered.</summary>
    LostAnswer,

    /// <summary>Relays the first request chunk, then relays nothing more and closes nothing for 5 to 20 s: a half-open connection.</summary>
    Stall,

    /// <summary>Relays faithfully, then resets both sides after 0.2 to 4 s, whatever is in flight (long feeds, answers halfway).</summary>
    CutLater,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 between the clients and the server that breaks connections on purpose:
/// one <see cref="Fault"/> drawn per connection from a seeded generator, and <see cref="CutAll"/> for
/// a network outage. While the server is down (<see cref="SetUpstream"/> with <see langword="null"/>)
/// it resets every connection. Faults are on until <see cref="FaultsEnabled"/> turns them off.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly Random _random;
    private readonly int[] _counts = new int[Enum.GetValues<Fault>().Length + 1];
    private readonly Task _acceptLoop;
    private Uri? _upstream;

    public FaultProxy(int seed)
    {
        _random = new Random(seed);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The address clients use instead of the server's.</summary>
    public Uri Address { get; }

    public bool FaultsEnabled { get; set; } = true;

    /// <summary>How many connections each fault was drawn for, and how many were refused while the server was down.</summary>
    public string Describe() =>
        string.Join(", ", Enum.GetValues<Fault>().Select(f => $"{f} {Volatile.Read(ref _counts[(int)f])}"))
        + $", refused {Volatile.Read(ref _counts[^1])}";

    /// <summary>Sets the server's address; <see langword="null"/> while it is down.</summary>
    public void SetUpstream(Uri? upstream) => Volatile.Write(ref _upstream, upstream);

    /// <summary>Resets every open connection, as a network outage would.</summary>
    public void CutAll()
    {
        foreach (Link link in _links.Keys)
        {
            link.Reset();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private Fault Draw()
    {
        if (!FaultsEnabled)
        {
            return Fault.None;
        }

        int dice;
        lock (_random)
        {
            dice = _random.Next(100);
        }

        return dice switch
        {
            < 55 => Fault.None,
            < 67 => Fault.Delay,
            < 76 => Fault.Reset,
            < 88 => Fault.LostAnswer,
            < 92 => Fault.Stall,
            _ => Fault.CutLater,
        };
    }

    private int Next(int min, int max)
    {
        lock (_random)
        {
            return _random.Next(min, max);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket downstream = await _listener.AcceptSocketAsync(_stop.Token);
            _ = Task.Run(() => RelayAsync(downstream));
        }
    }

    private async Task RelayAsync(Socket downstream)
    {
        Uri? upstreamAddress = Volatile.Read(ref _upstream);
        if (upstreamAddress is null)
        {
            Interlocked.Increment(ref _counts[^1]);
            Link.Reset(downstream);
            return;
        }

        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            connect.CancelAfter(TimeSpan.FromSeconds(2));
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamAddress.Port, connect.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Interlocked.Increment(ref _counts[^1]);
            Link.Reset(upstream);
            Link.Reset(downstream);
            return;
        }

        Fault fault = Draw();
        Interlocked.Increment(ref _counts[(int)fault]);
        using var link = new Link(downstream, upstream, _stop.Token);
        _links[link] = 0;
        try
        {
            if (fault == Fault.CutLater)
            {
                _ = Task.Delay(Next(200, 4000), link.Token).ContinueWith(static (_, l) => ((Link)l!).Reset(), link, TaskScheduler.Default);
            }

            Task requests = PumpAsync(link, fault, toServer: true);
            Task answers = PumpAsync(link, fault, toServer: false);
            await Task.WhenAny(requests, answers);
            link.Close();
            await Task.WhenAll(requests, answers);
        }
        finally
        {
            _links.TryRemove(link, out _);
        }
    }

    private async Task PumpAsync(Link link, Fault fault, bool toServer)
    {
        Socket from = toServer ? link.Downstream : link.Upstream;
        Socket to = toServer ? link.Upstream : link.Downstream;
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, link.Token);
                if (read == 0)
                {
                    return;
                }

                if (fault == Fault.Delay)
                {
                    await Task.Delay(Next(20, 300), link.Token);
                }

                if (link.Stalled)
                {
                    await HoldAsync(link);
                    return;
                }

                if (toServer)
                {
                    if (fault == Fault.Reset)
                    {
                        await to.SendAsync(buffer.AsMemory(0, Next(0, read)), SocketFlags.None, link.Token);
                        link.Reset();
                        return;
                    }

                    if (fault == Fault.LostAnswer && IsWrite(buffer.AsSpan(0, read)))
                    {
                        link.DropAnswer = true;
                    }

                    if (fault == Fault.Stall)
                    {
                        await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, link.Token);
                        link.Stalled = true;
                        await HoldAsync(link);
                        return;
                    }
                }
                else if (link.DropAnswer)
                {
                    // The server has applied the write; the client never hears about it.
                    link.Reset();
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, link.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            link.Reset();
        }
    }

    /// <summary>Relays nothing, closes nothing: the client and the server each wait for the other until the stall ends.</summary>
    private async Task HoldAsync(Link link)
    {
        await Task.Delay(Next(5_000, 20_000), link.Token);
        link.Reset();
    }

    private static bool IsWrite(ReadOnlySpan<byte> chunk) =>
        chunk.StartsWith("POST "u8) || chunk.StartsWith("PATCH "u8) || chunk.StartsWith("DELETE "u8);

    /// <summary>A client connection and its server connection.</summary>
    private sealed class Link : IDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private int _closed;

        public Link(Socket downstream, Socket upstream, CancellationToken stop)
        {
            Downstream = downstream;
            Upstream = upstream;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        }

        public Socket Downstream { get; }

        public Socket Upstream { get; }

        public CancellationToken Token => _cancel.Token;

        public volatile bool DropAnswer;

        public volatile bool Stalled;

        public static void Reset(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            socket.Dispose();
        }

        /// <summary>Aborts both sides with a reset.</summary>
        public void Reset()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Reset(Downstream);
                Reset(Upstream);
                Cancel();
            }
        }

        /// <summary>Ends both sides gracefully: one side ended, so the other ends too.</summary>
        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Downstream.Dispose();
                Upstream.Dispose();
                Cancel();
            }
        }

        public void Dispose() => _cancel.Dispose();

        private void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
