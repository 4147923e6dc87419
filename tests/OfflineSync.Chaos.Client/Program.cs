using OfflineSync.Chaos;
using OfflineSync.TestModel;

// Usage: OfflineSync.Chaos.Client --mode chaos|final --client <id> --server <url> --store <file>
//          --journal <file> --seed <n> --incarnation <n> --strategy ServerWins|ClientWins
// chaos: runs the seeded workload until killed (the test sends SIGKILL) or stdin closes.
// final: drains, then answers "status" and "dump <file>" on stdin until "exit" (docs: tests/OfflineSync.Chaos.Tests/README.md).
ClientArguments arguments = ClientArguments.Parse(args);
using var journal = new Journal(arguments.Journal, arguments.Incarnation);
journal.Write(new JournalEntry { Op = "start", Kind = arguments.Mode });
await using WorkspaceSync client = ClientFactory.Open(arguments, online: true);
ClientFactory.JournalEvents(client, journal);
using var stop = new CancellationTokenSource();
Console.Out.WriteLine("ready");
Console.Out.Flush();

if (arguments.Mode == "chaos")
{
    // The parent going away closes stdin: no orphan keeps writing.
    _ = Task.Run(() =>
    {
        while (Console.In.ReadLine() is not null)
        {
        }

        stop.Cancel();
    });
    try
    {
        await new Workload(client, journal, arguments).RunAsync(stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }

    return 0;
}

Task draining = FinalMode.DrainAsync(client, stop.Token);
while (Console.In.ReadLine() is { } command)
{
    if (command == "status")
    {
        Console.Out.WriteLine(FinalMode.Status(client));
    }
    else if (command.StartsWith("dump ", StringComparison.Ordinal))
    {
        FinalMode.Dump(client, arguments, command[5..]);
        Console.Out.WriteLine("dumped");
    }
    else if (command == "exit")
    {
        break;
    }

    Console.Out.Flush();
}

await stop.CancelAsync();
await draining.ConfigureAwait(false);
return 0;
