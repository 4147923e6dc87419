using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>
/// One instance of the TodoApp sample server in a process of its own (<c>--postgres</c>), on a fixed loopback
/// port so that a load balancer's list stays valid across a SIGKILL and a restart.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private ServerProcess(string connectionString, int port)
    {
        _connectionString = connectionString;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public static async Task<ServerProcess> StartAsync(string connectionString)
    {
        var server = new ServerProcess(connectionString, FreePort());
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the process and returns once it answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestPostgres.TodoServerPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{Port}");
        start.ArgumentList.Add("--postgres");
        start.ArgumentList.Add(_connectionString);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "0"; // three of these share two cores with the tests
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server process on port {Port} exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using HttpResponseMessage answer = await http.GetAsync(Address);
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The server process on port {Port} did not answer within a minute:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, connections cut mid-request.</summary>
    public async Task KillAsync()
    {
        Process process = _process ?? throw new InvalidOperationException("The server process is not running.");
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    public string Output => string.Join('\n', _output.TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
