using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OfflineSync.Server.PostgreSql.Tests.Support;
using OfflineSync.Server.Tests.Infrastructure;
using TodoApp.Model;

namespace OfflineSync.Server.PostgreSql.Tests;

/// <summary>Two in-process server instances over one PostgreSQL schema: the feed and idempotency across instances, over HTTP.</summary>
public sealed class CrossInstanceFeedTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly string _schema = TestDatabase.NewSchema();
    private SyncServerHost _a = null!;
    private SyncServerHost _b = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is not null)
        {
            return;
        }

        _a = await StartInstanceAsync();
        _b = await StartInstanceAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_a is not null)
        {
            await _a.DisposeAsync();
            await _b.DisposeAsync();
        }
    }

    [PostgresFact] // S15: a client following instance A sees the writes made on instance B, in order, each once
    public async Task FeedOnA_BatchesWrittenOnB_ArriveInSequenceOrder_WithoutGapsOrDuplicates()
    {
        // The follower reads its snapshot some time after it connects: a row written before the batches and seen as
        // "existing" marks the point after which every change must arrive as "added".
        await CreateAsync(_b, "before");
        await using SseFollower follower = SseFollower.Start(_a.Address, "categories");
        await Eventually.TrueAsync(() => follower.Events.Count == 1, "A's snapshot has the row written before the batches");
        Assert.Equal("existing", follower.Events[0].Type);
        var written = new List<string>();
        for (int batch = 0; batch < 6; batch++)
        {
            string body = "{\"mutations\":[" + string.Join(',', Enumerable.Range(0, 5).Select(i =>
                $"{{\"resource\":\"categories\",\"kind\":\"create\",\"data\":{{\"id\":\"\",\"name\":\"b{batch}-{i}\"}}}}")) + "]}";
            using HttpResponseMessage answer = await PostAsync(_b, "sync/batch", body);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            written.AddRange(Enumerable.Range(0, 5).Select(i => $"b{batch}-{i}"));
        }

        await Eventually.TrueAsync(() => follower.Events.Count >= written.Count + 1, "A's feed has B's 30 changes");
        IReadOnlyList<(long Id, string Type, JsonElement Data)> events = [.. follower.Events.Skip(1)];
        Assert.Equal(written, events.Select(static e => e.Data.GetProperty("data").GetProperty("name").GetString()));
        Assert.All(events, static e => Assert.Equal("added", e.Type));
        Assert.Equal(events.Select(static e => e.Id).Order(), events.Select(static e => e.Id));
        Assert.Equal(events.Count, events.Select(static e => e.Id).Distinct().Count());
    }

    [PostgresFact] // S15, S19: a client resumes on any instance; a position past retention is invalidated on any instance
    public async Task ResumeOnB_FromAPositionReadOnA_Continues_AndAPositionPastRetentionIsInvalidated()
    {
        long position;
        await using (SseFollower onA = SseFollower.Start(_a.Address, "categories"))
        {
            await CreateAsync(_a, "first");
            await Eventually.TrueAsync(() => onA.Events.Count == 1, "A's feed has the first change");
            position = onA.Events[0].Id;
        }

        await CreateAsync(_a, "second");
        await using (SseFollower onB = SseFollower.Start(_b.Address, "categories", after: position))
        {
            await Eventually.TrueAsync(() => onB.Events.Count == 1, "B's feed resumes after the first change");
            Assert.Equal(("added", "second"), (onB.Events[0].Type, onB.Events[0].Data.GetProperty("data").GetProperty("name").GetString()));
        }

        for (int i = 0; i < 45; i++)
        {
            await CreateAsync(i % 2 == 0 ? _a : _b, $"filler {i}");
        }

        await using SseFollower stale = SseFollower.Start(_b.Address, "categories", after: position);
        await Eventually.TrueAsync(() => stale.Events.Count >= 1, "B answers the stale position");
        Assert.Equal("invalidate", stale.Events[0].Type);
    }

    [PostgresFact] // idempotency per (client, key) across instances: a retry on B of a create applied on A is replayed
    public async Task CreateAppliedOnA_RetriedOnB_ReplayedWithTheSameKey()
    {
        const string optimistic = "optimistic_01JDZ8Q6N4M1W5X2R7T9K3H8VB";
        string body = $"{{\"id\":\"{optimistic}\",\"name\":\"once\"}}";

        using HttpResponseMessage first = await PostAsync(_a, "sync/categories", body, "categories:create:x:c1:1", optimistic);
        using HttpResponseMessage retry = await PostAsync(_b, "sync/categories", body, "categories:create:x:c1:1", optimistic);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(first.Headers.GetValues("X-Sync-Key"), retry.Headers.GetValues("X-Sync-Key"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.rows;"));
    }

    private Task<SyncServerHost> StartInstanceAsync() => SyncServerHost.StartAsync(
        o => o.UsePostgres(database.ConnectionString, s => s.Schema = _schema).MaxRetainedChanges = 40,
        static app => app.MapSyncResource<Category>());

    private async Task CreateAsync(SyncServerHost server, string name)
    {
        using HttpResponseMessage answer = await PostAsync(server, "sync/categories", $"{{\"id\":\"\",\"name\":\"{name}\"}}");
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(SyncServerHost server, string path, string json, string? idempotencyKey = null, string? optimistic = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Client-Id", "c1");
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (optimistic is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Optimistic-Id", optimistic);
        }

        return _http.SendAsync(request);
    }
}
