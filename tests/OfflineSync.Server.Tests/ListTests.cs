using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

public sealed class ListTests
{
    [Fact]
    public async Task List_PagesByKeyWithOriginAndFeedSequence()
    {
        // S15: list pages carry each row's origin optimistic key and the feed sequence.
        await using TestServer server = await TestServer.StartAsync();
        var m = new Mutations();
        var batch = Enumerable.Range(0, 25).Select(i => m.Create(new Folder { Id = $"k{i:D2}", Name = $"n{i}" })).ToList();
        batch.Add(m.Create(new Folder { Id = OptimisticKeys.NewString(), Name = "assigned" }));
        await server.Transport.PushAsync(batch, default);

        ListPage first = await server.Transport.ListAsync("folders", null, 10, "client-a", default);
        ListPage second = await server.Transport.ListAsync("folders", first.Items[^1].Key, 10, "client-a", default);
        ListPage third = await server.Transport.ListAsync("folders", second.Items[^1].Key, 10, "client-a", default);

        Assert.Equal((10, true, 10, true, 6, false), (first.Items.Count, first.HasMore, second.Items.Count, second.HasMore, third.Items.Count, third.HasMore));
        List<ListItem> all = [.. first.Items, .. second.Items, .. third.Items];
        Assert.Equal(all.Select(i => i.Key).Order(StringComparer.Ordinal), all.Select(i => i.Key));
        Assert.Equal(26, all.Select(i => i.Key).Distinct().Count());
        Assert.Equal(26, first.Sequence);
        Assert.Single(all, i => i.OriginOptimisticKey == batch[^1].OptimisticKey);
        Assert.Equal("n3", Results.Read<Folder>(all.Single(i => i.Key == "k03").Data).Name);
    }

    [Fact]
    public async Task List_UnknownResource_ThrowsWithStatus()
    {
        await using TestServer server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => server.Transport.ListAsync("nope", null, 10, "client-a", default));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }
}
