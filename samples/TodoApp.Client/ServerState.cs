using OfflineSync;
using OfflineSync.Http;
using TodoApp.Model;

namespace TodoApp.Client;

/// <summary>Reads the server's rows through the protocol's list endpoint, the way any client would.</summary>
internal sealed class ServerState(Uri server)
{
    public async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        using var transport = new HttpSyncTransport(server);
        return new Snapshot(
            await ListAsync<Category>(transport, cancellationToken),
            await ListAsync<Tag>(transport, cancellationToken),
            await ListAsync<User>(transport, cancellationToken),
            await ListAsync<Todo>(transport, cancellationToken));
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(ISyncTransport transport, CancellationToken cancellationToken)
        where T : class, ISyncEntity<T>
    {
        var rows = new List<T>();
        string? after = null;
        while (true)
        {
            ListPage page = await transport.ListAsync(T.ResourceName, after, 500, "todoapp-observer", cancellationToken);
            foreach (ListItem item in page.Items)
            {
                T row = SyncJson.Deserialize<T>(item.Data.Span);
                T.SetVersion(row, item.Version);
                rows.Add(row);
            }

            if (!page.HasMore || page.Items.Count == 0)
            {
                return Snapshot.Sorted(rows);
            }

            after = page.Items[^1].Key;
        }
    }
}
