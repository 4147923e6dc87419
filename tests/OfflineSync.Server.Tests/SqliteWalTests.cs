using OfflineSync.Server.Tests.Infrastructure;
using OfflineSync.Server.Tests.Model;

namespace OfflineSync.Server.Tests;

/// <summary>The SQLite store's write-ahead log stays small whatever the feeds' clients do (SQLite only: the PostgreSQL suite leaves this file out).</summary>
public sealed class SqliteWalTests
{
    [Fact] // a slow feed reader once kept a read transaction open while it waited, and the WAL grew with every write, for good
    public async Task FeedsNotRead_WhileWritesGoOn_TheWalStaysBounded_AndIsCutBackToWalSizeLimit()
    {
        const long limit = 1024 * 1024;
        await using TestServer server = await TestServer.StartAsync(o => o.WalSizeLimit = limit);
        var m = new Mutations();
        string name = new('s', 8 * 1024);
        for (int start = 0; start < 1_000; start += 200)
        {
            Assert.Equal(200, (await server.Transport.PushAsync([.. Enumerable.Range(start, 200).Select(i => m.Create(new Folder { Id = $"f{i:D4}", Name = name }))], default)).Count);
        }

        var stalled = new List<System.Net.Sockets.TcpClient>();
        long peak = 0;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                stalled.Add((await Raw.OpenUnreadFeedAsync(server, "folders", $"slow-{i}")).Connection);
            }

            // 40 batches of 25 updates of 8 KiB rows: about 8 MB written while the feeds wait on their clients.
            for (int round = 0; round < 40; round++)
            {
                Assert.Equal(25, (await server.Transport.PushAsync([.. Enumerable.Range(0, 25).Select(i => m.Update<Folder>($"f{((round * 25) + i) % 1_000:D4}", new FolderPatch { Name = $"{round}{name}" }))], default)).Count);
                peak = Math.Max(peak, WalBytes(server));
            }
        }
        finally
        {
            stalled.ForEach(static c => c.Dispose());
        }

        // Checkpoints completed all along, every WalSizeLimit: the WAL held what is written between two of them and a
        // few write transactions (about 0.5 MB each: SQLite restarts the WAL from its start only when no reader is in
        // the middle of a read, which on a loaded machine can take a few more writes; 2.2–5 MB seen at load 40–50),
        // never everything: 8 MB of rows go through it, more with the change log and the indexes.
        Assert.True(peak < 6 * limit, $"The WAL grew to {peak} bytes.");
    }

    private static long WalBytes(TestServer server) => new FileInfo(server.DatabasePath + "-wal") is { Exists: true } wal ? wal.Length : 0;
}
