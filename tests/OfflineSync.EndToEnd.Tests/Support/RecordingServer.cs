using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OfflineSync.Protocol;
using OfflineSync.Server;
using TodoApp.Server;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>One request as the server saw it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the query.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="ClientId">The <c>X-Client-Id</c> header.</param>
/// <param name="LastEventId">The <c>Last-Event-ID</c> header, on a feed that resumes.</param>
internal sealed record SeenRequest(string Method, string Path, string Query, string? ClientId, string? LastEventId)
{
    /// <summary>Gets whether this is a list of <paramref name="resource"/> (<c>GET /sync/{resource}?…</c>).</summary>
    public bool IsList(string resource) => Method == "GET" && Path == $"/sync/{resource}";

    /// <summary>Gets whether this is a feed of <paramref name="resource"/> (<c>GET /sync/{resource}/events</c>).</summary>
    public bool IsFeed(string resource) => Method == "GET" && Path == $"/sync/{resource}/events";
}

/// <summary>
/// The TodoApp reference server (Kestrel on 127.0.0.1, its own SQLite file) with a first middleware that records every
/// request it receives, so a test can tell what a client asked for: lists, feeds and where they resumed.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private readonly List<SeenRequest> _requests = [];

    private RecordingServer(string directory) => Directory = directory;

    public string Directory { get; }

    public SyncServerHost Host { get; private set; } = null!;

    public Uri Address => Host.Address;

    /// <summary>Gets every request received so far, in order.</summary>
    public IReadOnlyList<SeenRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public static async Task<RecordingServer> StartAsync(Action<SyncServerOptions>? configure = null)
    {
        var server = new RecordingServer(System.IO.Directory.CreateTempSubdirectory("offlinesync-e2e-resume-").FullName);
        server.Host = await SyncServerHost.StartAsync(
            Path.Combine(server.Directory, "server.db"),
            app =>
            {
                ((IApplicationBuilder)app).Use((context, next) =>
                {
                    server.Record(context.Request);
                    return next(context);
                });
                app.MapTodoResources();
            },
            configure);
        return server;
    }

    /// <summary>Gets the requests of <paramref name="clientId"/> received after the first <paramref name="skip"/> of all.</summary>
    public IReadOnlyList<SeenRequest> RequestsOf(string clientId, int skip = 0) =>
        Requests.Skip(skip).Where(r => r.ClientId == clientId).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Record(HttpRequest request)
    {
        var seen = new SeenRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            request.Headers[SyncHeaderNames.ClientId].FirstOrDefault(),
            request.Headers[SyncHeaderNames.LastEventId].FirstOrDefault());
        lock (_requests)
        {
            _requests.Add(seen);
        }
    }
}
