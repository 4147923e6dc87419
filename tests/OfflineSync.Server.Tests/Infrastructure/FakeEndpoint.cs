using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>A tiny HTTP endpoint on 127.0.0.1 that answers every request with a scripted response: the misbehaving server or proxy.</summary>
public sealed class FakeEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<FakeEndpoint> StartAsync(RequestDelegate handler)
    {
        WebApplication app = await LoopbackApp.StartAsync(static _ => { }, app => app.Run(handler));
        return new FakeEndpoint(app, LoopbackApp.AddressOf(app));
    }

    public static Task<FakeEndpoint> RespondAsync(int status, string contentType, string body, Action<HttpResponse>? headers = null) =>
        StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(body);
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
