using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TodoApp.Model;
using TodoApp.Server;

namespace OfflineSync.Server.Tests;

/// <summary><c>AddOfflineSync(...)</c>: the typed client from the container, over the factory's HttpClient and its handlers.</summary>
public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddOfflineSync_ResolvesOneClientThatSyncsThroughTheFactoryClientAndItsHandlers()
    {
        string directory = Path.Combine(Path.GetTempPath(), "offlinesync-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using SyncServerHost server = await TodoServer.StartAsync(Path.Combine(directory, "todo.db"));
            var handler = new CountingHandler();
            var services = new ServiceCollection();
            services.AddMetrics();
            services.AddOfflineSync(server.Address, options => new TodoSync(options), (_, options) => options.AutoSync = false)
                .AddHttpMessageHandler(() => handler);

            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                TodoSync sync = provider.GetRequiredService<TodoSync>();
                Assert.Same(sync, provider.GetRequiredService<TodoSync>());
                Assert.Same(provider.GetRequiredService<ISyncTransport>(), sync.Options.Transport);
                Assert.Same(provider.GetRequiredService<IMeterFactory>(), sync.Options.MeterFactory);
                Assert.Same(provider.GetRequiredService<IOptionsMonitor<SyncOptions>>().Get(OfflineSyncServiceCollectionExtensions.OptionsName<TodoSync>()), sync.Options);

                sync.Categories.Create(new Category { Name = "Work" });
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await sync.SyncAsync(timeout.Token);

                Assert.Empty(sync.GetPending());
                ListPage page = await provider.GetRequiredService<ISyncTransport>().ListAsync("categories", null, 10, "client-a", timeout.Token);
                Category stored = System.Text.Json.JsonSerializer.Deserialize(Assert.Single(page.Items).Data.Span, Category.JsonTypeInfo)!;
                Assert.Equal("Work", stored.Name);
            }

            Assert.Contains("POST /sync/categories", handler.Requests);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddOfflineSync_InvalidOption_FailsTheHostStart_NamingTheOption()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOfflineSync(new Uri("http://127.0.0.1:9/"), options => new TodoSync(options), (_, options) =>
        {
            options.AutoSync = false;
            options.MaxAttempts = 0;
        });
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Named options: the message names the option under the options name (the client type).
        Assert.Contains($"{OfflineSyncServiceCollectionExtensions.OptionsName<TodoSync>()}.MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHttpSyncTransport_InvalidOption_FailsTheHostStart_NamingTheOption()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHttpSyncTransport(new Uri("http://127.0.0.1:9/"), options => options.MaxBatchSize = 0);
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("HttpSyncTransportOptions.MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOfflineSyncServer_InvalidOption_FailsTheHostStart_NamingTheOption()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOfflineSyncServer(options => options.HeartbeatInterval = TimeSpan.Zero);
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("SyncServerOptions.HeartbeatInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOfflineSync_ValidOptions_StartTheHost()
    {
        // The close case: the same registration with valid options starts.
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOfflineSync(new Uri("http://127.0.0.1:9/"), options => new TodoSync(options), (_, options) => options.AutoSync = false);
        using IHost host = builder.Build();

        await host.StartAsync();

        Assert.Equal(10, host.Services.GetRequiredService<TodoSync>().Options.MaxAttempts);
        await host.StopAsync();
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public System.Collections.Concurrent.ConcurrentBag<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
