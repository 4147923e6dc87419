using Microsoft.Extensions.DependencyInjection;
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
            services.AddOfflineSync(server.Address, options => new TodoSync(options), (_, options) => options.AutoSync = false)
                .AddHttpMessageHandler(() => handler);

            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                TodoSync sync = provider.GetRequiredService<TodoSync>();
                Assert.Same(sync, provider.GetRequiredService<TodoSync>());
                Assert.Same(provider.GetRequiredService<ISyncTransport>(), sync.Options.Transport);

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
