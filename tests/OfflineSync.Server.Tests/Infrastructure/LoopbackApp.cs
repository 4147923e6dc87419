using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>An ASP.NET Core app a test builds itself (its own services, middleware and mapping) on real Kestrel at a free 127.0.0.1 port.</summary>
internal static class LoopbackApp
{
    /// <summary>Builds the app with <paramref name="services"/>, lets <paramref name="map"/> add middleware and endpoints, and starts it.</summary>
    public static async Task<WebApplication> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        WebApplication app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The address a started app listens on, with a trailing slash.</summary>
    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    /// <summary>A client of a started app's address.</summary>
    public static HttpClient ClientOf(WebApplication app) => new() { BaseAddress = AddressOf(app) };
}
