using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>
/// The reference server on Kestrel (127.0.0.1) as an app would host it, with every log entry and every
/// answered status recorded, for tests of what the server does when a client misbehaves.
/// </summary>
public sealed class LoggedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private LoggedServer(WebApplication app, string directory, Uri address)
    {
        _app = app;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Gets the app's services (its <c>IMeterFactory</c>, for one test's metrics).</summary>
    public IServiceProvider Services => _app.Services;

    public ConcurrentQueue<LogEntry> Logs { get; } = new();

    /// <summary>The status of every answer the pipeline finished, in order.</summary>
    public ConcurrentQueue<int> Statuses { get; } = new();

    public static async Task<LoggedServer> StartAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var provider = new CapturingLoggerProvider();
        LoggedServer? server = null;
        WebApplication app = await LoopbackApp.StartAsync(
            services =>
            {
                services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));
                services.AddOfflineSyncServer(o => o.DatabasePath = Path.Combine(directory, "server.db"));
            },
            app =>
            {
                app.Use(async (context, next) =>
                {
                    await next(context);
                    server!.Statuses.Enqueue(context.Response.StatusCode);
                });
                app.UseExceptionHandler();
                app.UseStatusCodePages();
                app.MapSyncResource<Folder>();
            });
        server = new LoggedServer(app, directory, LoopbackApp.AddressOf(app));
        provider.Sink = server.Logs;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry>? Sink { get; set; }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Sink?.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
