using System.Globalization;
using System.Text.Json;
using OfflineSync.TestModel;

namespace OfflineSync.Chaos;

/// <summary>The final phase of a client: drain without faults, report, and dump what the checks compare.</summary>
internal static class FinalMode
{
    /// <summary>Pushes until stopped: backoff timers are cut short, so the queue drains as fast as the server answers.</summary>
    public static async Task DrainAsync(WorkspaceSync client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            client.RetryNow();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await client.SyncAsync(attempt.Token).ConfigureAwait(false);
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A drain that does not return in 10 s (a conflict loop, say): keep nudging until stopped.
            }
        }
    }

    /// <summary><c>status pending=N stuck=M</c>: queued mutations, and how many of them failed permanently.</summary>
    public static string Status(WorkspaceSync client)
    {
        IReadOnlyList<PendingMutation> pending = client.GetPending();
        int stuck = pending.Count(static p => p.Status == MutationStatus.PermanentlyFailed);
        return string.Create(CultureInfo.InvariantCulture, $"status pending={pending.Count} stuck={stuck}");
    }

    public static void Dump(WorkspaceSync client, ClientArguments arguments, string path)
    {
        var items = new List<DumpItem>();
        Add(items, client.Boards.Items);
        Add(items, client.Cards.Items);
        Add(items, client.Sheets.Items);
        Add(items, client.Stickers.Items);

        var lookups = new List<DumpLookup>();
        foreach (JournalEntry created in JournalEntry.ReadAll(arguments.Journal).Where(static e => e.Op == "create"))
        {
            lookups.Add(created.Resource switch
            {
                "boards" => Lookup(client, client.Boards, created),
                "cards" => Lookup(client, client.Cards, created),
                "sheets" => Lookup(client, client.Sheets, created),
                _ => Lookup(client, client.Stickers, created),
            });
        }

        IReadOnlyList<PendingMutation> pending = client.GetPending();
        var dump = new ClientDump(arguments.ClientId, pending.Count, pending.Select(static p => p.ToString()).ToArray(), items, lookups);
        File.WriteAllText(path, JsonSerializer.Serialize(dump, JournalEntry.Json));
    }

    private static void Add<T>(List<DumpItem> items, IReadOnlyList<T> view)
        where T : class, ISyncEntity<T> =>
        items.AddRange(view.Select(static item => new DumpItem(T.ResourceName, T.GetKey(item), JsonSerializer.Serialize(item, T.JsonTypeInfo))));

    private static DumpLookup Lookup<T>(WorkspaceSync client, SyncSet<T> set, JournalEntry created)
        where T : class, ISyncEntity<T>, IWorkspaceItem
    {
        bool found = set.TryGet(created.Key!, out T? item);
        string? resolved = client.IdMap.TryResolve<T>(created.Key!, out string? serverKey) ? serverKey : null;
        return new DumpLookup(T.ResourceName, created.Key!, created.Nonce!, found ? item!.Nonce : null, found ? T.GetKey(item!) : null, resolved);
    }
}
