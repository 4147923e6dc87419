using System.Text;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;
using TodoApp.Model;

namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>Writes categories to a store through the server's own mutation code (idempotency, keys, versions), as its endpoints do.</summary>
internal sealed class StoreClient(ISyncStore store, SyncServerOptions options)
{
    public static readonly SyncResource<Category> Categories = new();
    public static readonly SyncResource<Tag> Tags = new();

    /// <summary>A budget no test page reaches by size.</summary>
    public static readonly PageBudget Rows100 = new(100, 1024 * 1024);
    private readonly MutationProcessor _processor = new(options);

    public ISyncStore Store => store;

    public static ReadScope Scope(string? clientId) => new(Category.ResourceName, clientId);

    public static MutationRequest Create(string clientId, string name, string? key = null, string? idempotencyKey = null)
    {
        key ??= OptimisticKeys.NewString();
        return new MutationRequest(MutationKind.Create, null, OptimisticKeys.IsOptimistic(SyncKeyKind.String, key) ? key : null, clientId, idempotencyKey, null, Json($"{{\"id\":\"{key}\",\"name\":\"{name}\"}}"));
    }

    public static MutationRequest Rename(string clientId, string key, string name, long? ifMatch = null, string? idempotencyKey = null) =>
        new(MutationKind.Update, key, null, clientId, idempotencyKey, ifMatch, Json($"{{\"name\":\"{name}\"}}"));

    public static MutationRequest Delete(string clientId, string key, long? ifMatch = null) =>
        new(MutationKind.Delete, key, null, clientId, null, ifMatch, ReadOnlyMemory<byte>.Empty);

    public Task<MutationOutcome> ApplyAsync(MutationRequest request, SyncResource? resource = null) =>
        store.WriteAsync(session => _processor.ApplyAsync(session, resource ?? Categories, request, new BatchScope()).AsTask(), CancellationToken.None);

    /// <summary>Applies the requests in one transaction, as one batch (reading ahead as the batch endpoint does), and returns every outcome.</summary>
    public Task<List<MutationOutcome>> ApplyBatchAsync(params MutationRequest[] requests) =>
        store.WriteAsync(async session =>
        {
            await session.PrefetchAsync(
                requests.Where(static r => r.Kind != MutationKind.Create).Select(static r => (Category.ResourceName, r.Key!)).ToHashSet(),
                requests.Where(static r => r.IdempotencyKey is not null).Select(static r => (r.ClientId, r.IdempotencyKey!)).ToHashSet());
            var scope = new BatchScope();
            var outcomes = new List<MutationOutcome>();
            foreach (MutationRequest request in requests)
            {
                MutationOutcome outcome = await _processor.ApplyAsync(session, Categories, request, scope);
                outcomes.Add(outcome);
                if (!outcome.IsSuccess)
                {
                    break; // a batch stops at its first failure
                }
            }

            return outcomes;
        }, CancellationToken.None);

    public async Task<string> CreatedKeyAsync(string clientId, string name)
    {
        MutationOutcome outcome = await ApplyAsync(Create(clientId, name));
        Assert.Equal(201, outcome.Status);
        return outcome.Key!;
    }

    /// <summary>Reads the whole change log of categories after <paramref name="after"/>, page by page.</summary>
    public async Task<List<StoredChange>> ChangesAsync(long after = 0, PageBudget? budget = null)
    {
        var all = new List<StoredChange>();
        while (true)
        {
            ChangePage page = await store.ReadChangesAsync(Category.ResourceName, after, budget ?? Rows100, CancellationToken.None);
            Assert.True(page.Covers(after), $"The log no longer covers {after}.");
            all.AddRange(page.Changes);
            if (!page.HasMore)
            {
                return all;
            }

            after = page.Changes[^1].Sequence;
        }
    }

    /// <summary>Reads the first list page of categories.</summary>
    public Task<RowPage> ListAsync(string? clientId = "c1", string? after = null, PageBudget? budget = null) =>
        store.ListPageAsync(Scope(clientId), after, budget ?? Rows100, CancellationToken.None);

    /// <summary>Reads a feed's whole snapshot of categories page by page, as the feed does, and the bound the first page set.</summary>
    public async Task<(List<RowItem> Rows, long Bound, int Pages)> SnapshotAsync(string? clientId = "c1", PageBudget? budget = null, Func<Task>? betweenPages = null)
    {
        var rows = new List<RowItem>();
        long? bound = null;
        long after = 0;
        for (int pages = 1; ; pages++)
        {
            RowPage page = await store.ReadSnapshotPageAsync(Scope(clientId), after, bound, budget ?? Rows100, CancellationToken.None);
            bound ??= page.Sequence;
            rows.AddRange(page.Items);
            if (!page.HasMore)
            {
                return (rows, bound.Value, pages);
            }

            after = page.Items[^1].Sequence;
            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }
    }

    public static string NameOf(byte[]? json) => System.Text.Json.JsonDocument.Parse(json!).RootElement.GetProperty("name").GetString()!;

    private static ReadOnlyMemory<byte> Json(string text) => Encoding.UTF8.GetBytes(text);
}
