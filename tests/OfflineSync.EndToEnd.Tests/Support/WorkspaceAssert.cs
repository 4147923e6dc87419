using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>Assertions over the multi-client test model: by content (nonce), whatever the key type.</summary>
internal static class WorkspaceAssert
{
    /// <summary>How long a test waits for a condition the feed or a drain makes true: generous, for a loaded machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Waits until every client's queue is empty and its view equals the server's rows, item by item
    /// (the entity's JSON: keys, references, versions, every field); fails with the difference.
    /// </summary>
    /// <returns>The server's rows the views converged on.</returns>
    public static async Task<ServerSnapshot> ConvergedAsync(WorkspaceCluster cluster, params WorkspaceSync[] clients)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            ServerSnapshot server = await cluster.SnapshotAsync();
            string? difference = null;
            foreach (WorkspaceSync client in clients)
            {
                difference ??= Difference(client, server);
            }

            if (difference is null)
            {
                return server;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The clients did not converge on the server's rows: {difference}");
            }

            foreach (WorkspaceSync client in clients)
            {
                client.RetryNow();
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The server stores no optimistic key, neither as a row's key nor in any reference slot.</summary>
    public static void NoOptimisticKeyStored(ServerSnapshot server)
    {
        foreach (ObservedRow row in server.All)
        {
            Assert.False(ItemDescription.IsOptimisticKey(row.Resource, row.Key), $"The server stores the optimistic key {row.Resource}/{row.Key}.");
            foreach (ItemReference reference in row.Item!.References)
            {
                Assert.False(reference.IsOptimistic, $"The server stores {row.Resource}/{row.Key} with the optimistic reference {reference.Resource}/{reference.Key}: {row.Item.Json}");
            }
        }
    }

    /// <summary>The one row made by the create with <paramref name="nonce"/>.</summary>
    public static ObservedRow Row(ServerSnapshot server, string nonce)
    {
        ObservedRow[] rows = server.All.Where(r => r.Item!.Nonce == nonce).ToArray();
        Assert.True(rows.Length == 1, $"Expected exactly one row with nonce '{nonce}' on the server, found {rows.Length}: {string.Join("; ", rows.Select(static r => r.Item!.Json))}");
        return rows[0];
    }

    /// <summary>The item a client's view finds under <paramref name="key"/> (an optimistic or a server key), described; <see langword="null"/> when none.</summary>
    public static ItemDescription? Local<T>(SyncSet<T> set, string key)
        where T : class, ISyncEntity<T>, IWorkspaceItem =>
        set.TryGet(key, out T? item) ? ItemDescription.Of(item) : null;

    /// <summary>
    /// No mapping a client learned points at a row another create made: each server key it mapped
    /// an optimistic key to holds one of <paramref name="ownNonces"/>.
    /// </summary>
    public static void MappedOnlyToOwnRows(string client, RemapLog remaps, ServerSnapshot server, IReadOnlyCollection<string> ownNonces)
    {
        foreach (IdRemappedEventArgs remap in remaps.Events)
        {
            ObservedRow? target = server.Rows[remap.Resource].SingleOrDefault(r => r.Key == remap.ServerKey);
            Assert.True(
                target is not null && ownNonces.Contains(target.Item!.Nonce),
                $"{client} mapped {remap.Resource} {remap.OptimisticKey} -> {remap.ServerKey}, a row {(target is null ? "that is not live" : $"made by another create (nonce '{target.Item!.Nonce}', title '{target.Item.Title}')")}; {client}'s mappings: {remaps.Describe()}.");
        }
    }

    private static string? Difference(WorkspaceSync client, ServerSnapshot server)
    {
        string name = client.Options.ClientId!;
        if (client.PendingCount > 0)
        {
            return $"{name} still has {client.PendingCount} queued mutations: {string.Join("; ", client.GetPending().Select(static p => $"{p.Kind} {p.Resource}/{p.Key} {p.Status} {p.FailureReason} {p.LastError}"))}";
        }

        var local = ItemDescription.OfView(client).Select(static i => $"{i.Resource}/{i.Key} {i.Json}").Order(StringComparer.Ordinal).ToList();
        var remote = server.All.Select(static r => $"{r.Resource}/{r.Key} {r.Item!.Json}").Order(StringComparer.Ordinal).ToList();
        if (local.SequenceEqual(remote))
        {
            return null;
        }

        IEnumerable<string> missing = remote.Except(local).Take(5);
        IEnumerable<string> extra = local.Except(remote).Take(5);
        return $"{name}'s view differs from the server: only on the server [{string.Join("; ", missing)}], only in {name}'s view [{string.Join("; ", extra)}]";
    }
}
