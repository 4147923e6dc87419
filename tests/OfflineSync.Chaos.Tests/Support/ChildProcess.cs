using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;

namespace OfflineSync.Chaos.Tests.Support;

/// <summary>
/// A child process of the test (a chaos client or the server): its stdout lines to wait on, its
/// stdin to command it, its stderr into a log file, and <see cref="Kill"/> for a SIGKILL.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StreamWriter _log;

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet {assembly} {arguments}</c>, logging its stdout and stderr to <paramref name="logPath"/> (appended).</summary>
    public static ChildProcess Start(string assembly, IEnumerable<string> arguments, string logPath)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process, log);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                child._lines.Writer.TryComplete();
                return;
            }

            child._lines.Writer.TryWrite(e.Data);
            child.Log("out: " + e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Log("err: " + e.Data);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"dotnet {assembly} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The path recorded at build time under <paramref name="key"/> (see the project file).</summary>
    public static string BuiltPath(string key)
    {
        string path = typeof(ChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        Assert.True(File.Exists(path), $"'{path}' is not built: build OfflineSync.sln first.");
        return path;
    }

    /// <summary>Waits for the next stdout line that starts with <paramref name="prefix"/>; fails when the process ends first or after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_lines.Reader.TryRead(out string? line))
                {
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No '{prefix}' line from the child process within {timeout}.");
        }

        throw new InvalidOperationException($"The child process ended before writing '{prefix}'.");
    }

    /// <summary>Writes a command line to the process's stdin.</summary>
    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends SIGKILL: no finally block, no dispose, no flush runs in the child.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
