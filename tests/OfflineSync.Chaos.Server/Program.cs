using OfflineSync.Server;
using OfflineSync.TestModel;

// Usage: OfflineSync.Chaos.Server <database file>
// Serves the test model on a free loopback port and prints "listening <address>"; runs until killed
// or until stdin closes (the test process went away). Feed heartbeats every 500 ms, so clients and
// the test tell a dead feed from an idle one quickly.
if (args.Length != 1)
{
    Console.Error.WriteLine("Usage: OfflineSync.Chaos.Server <database file>");
    return 2;
}

await using SyncServerHost server = await WorkspaceServer.StartAsync(args[0], static options => options.HeartbeatInterval = TimeSpan.FromMilliseconds(500));
Console.Out.WriteLine($"listening {server.Address}");
Console.Out.Flush();
await Task.Run(static () =>
{
    while (Console.In.ReadLine() is not null)
    {
    }
});
return 0;
