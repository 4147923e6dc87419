using Microsoft.Extensions.Time.Testing;
using OfflineSync.Tests.Model;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// The clients a crash test opens over store files of one folder, on one fake clock, with <c>AutoSync</c> off (the test
/// says when they sync); all disposed at the end, those whose store "died" (<see cref="CrashingStore"/>) included.
/// </summary>
internal sealed class CrashedClients : IAsyncDisposable
{
    private readonly List<TestSync> _clients = [];

    public TempFolder Folder { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));

    public TestSync Open(IMutationStore store, ISyncTransport transport, string? clientId = null, INetworkMonitor? network = null)
    {
        var client = new TestSync(new SyncOptions
        {
            Transport = transport,
            Store = store,
            TimeProvider = Time,
            AutoSync = false,
            ClientId = clientId,
            NetworkMonitor = network,
        });
        _clients.Add(client);
        return client;
    }

    /// <summary>Disposes a client: a process that exits, or one whose store "died" (its last writes throw, and nothing more reaches the file).</summary>
    public async Task CloseAsync(TestSync client)
    {
        _clients.Remove(client);
        try
        {
            await client.DisposeAsync();
        }
        catch (SimulatedCrashException)
        {
            // Died with its store.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (TestSync client in _clients.ToArray())
        {
            await CloseAsync(client);
        }

        Folder.Dispose();
    }
}
